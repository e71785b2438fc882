// Tries file operations named on the command line and reports each outcome, so a test can check that nothing
// reaches outside the preopened folder. Each argument is OP:PATH (or OP:PATH>PATH2):
//   read, create, unlink, mkdir, rmdir, stat, readlink, rename, link, symlink (PATH2 is the link, PATH the target)
//   race:PATH:N  opens and reads PATH N times, printing how many reads saw "SECRET".
// Output: one line per argument, "ARG -> ok[:content]" or "ARG -> error".
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_file(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, size - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = 0;
  return 0;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    char op[32], path[512], path2[512] = "";
    const char *colon = strchr(argv[i], ':');
    if (!colon || colon - argv[i] >= (long)sizeof op) { printf("%s -> bad argument\n", argv[i]); continue; }
    memcpy(op, argv[i], colon - argv[i]);
    op[colon - argv[i]] = 0;
    snprintf(path, sizeof path, "%s", colon + 1);
    char *arrow = strchr(path, '>');
    if (arrow) { *arrow = 0; snprintf(path2, sizeof path2, "%s", arrow + 1); }
    char buf[256] = "";
    int rc = -1;
    struct stat st;
    if (!strcmp(op, "read")) rc = read_file(path, buf, sizeof buf);
    else if (!strcmp(op, "create")) {
      int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) { rc = write(fd, "written by guest", 16) == 16 ? 0 : -1; close(fd); }
    }
    else if (!strcmp(op, "unlink")) rc = unlink(path);
    else if (!strcmp(op, "mkdir")) rc = mkdir(path, 0755);
    else if (!strcmp(op, "rmdir")) rc = rmdir(path);
    else if (!strcmp(op, "stat")) rc = stat(path, &st);
    else if (!strcmp(op, "readlink")) { ssize_t n = readlink(path, buf, sizeof buf - 1); if (n >= 0) { buf[n] = 0; rc = 0; } }
    else if (!strcmp(op, "rename")) rc = rename(path, path2);
    else if (!strcmp(op, "link")) rc = link(path, path2);
    else if (!strcmp(op, "symlink")) rc = symlink(path, path2);
    else if (!strcmp(op, "race")) {
      char *count_text = strrchr(path, ':');
      int count = count_text ? atoi(count_text + 1) : 100;
      if (count_text) *count_text = 0;
      int secret = 0, opened = 0;
      for (int k = 0; k < count; k++) {
        if (read_file(path, buf, sizeof buf) == 0) { opened++; if (strstr(buf, "SECRET")) secret++; }
      }
      printf("%s -> opened %d, secret %d\n", argv[i], opened, secret);
      continue;
    }
    else { printf("%s -> unknown op\n", argv[i]); continue; }
    if (rc == 0) printf("%s -> ok%s%s\n", argv[i], buf[0] ? ":" : "", buf);
    else printf("%s -> error\n", argv[i]);
  }
  return 0;
}
