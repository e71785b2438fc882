// A one-connection echo server on the socket the host handed over (fd 3, `swasm run --tcplisten`):
// accepts, reads one line, answers "echo: LINE", shuts the connection down.
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wasi/api.h>

int main(void) {
  __wasi_fd_t connection;
  __wasi_errno_t e = __wasi_sock_accept(3, 0, &connection);
  if (e != 0) { fprintf(stderr, "accept failed: %d\n", e); return 1; }
  char line[256];
  size_t used = 0;
  while (used < sizeof line - 1) {
    ssize_t n = recv(connection, line + used, 1, 0);
    if (n <= 0 || line[used] == '\n') break;
    used += n;
  }
  line[used] = 0;
  char reply[300];
  int length = snprintf(reply, sizeof reply, "echo: %s\n", line);
  if (send(connection, reply, length, 0) != length) { fprintf(stderr, "send failed\n"); return 1; }
  shutdown(connection, SHUT_RDWR);
  printf("served %s\n", line);
  return 0;
}
