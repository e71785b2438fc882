/* A minimal command-line host for the QuickJS engine (the library PyPI's `quickjs` sdist ships, without its own
 * qjs tool): `qjs SCRIPT.js [ARGS...]` runs the script with `print(...)`, `readFile(path)`, `writeFile(path, text)`
 * and `scriptArgs`. Errors print the exception and its stack to stderr and exit with status 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quickjs.h"

static char *read_file(const char *path, size_t *length) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t capacity = 4096, used = 0;
  char *buffer = malloc(capacity + 1);
  size_t n;
  while ((n = fread(buffer + used, 1, capacity - used, f)) > 0) {
    used += n;
    if (used == capacity) buffer = realloc(buffer, (capacity *= 2) + 1);
  }
  fclose(f);
  buffer[used] = 0;
  *length = used;
  return buffer;
}

static JSValue js_print(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  for (int i = 0; i < argc; i++) {
    const char *s = JS_ToCString(ctx, argv[i]);
    if (!s) return JS_EXCEPTION;
    if (i) putchar(' ');
    fputs(s, stdout);
    JS_FreeCString(ctx, s);
  }
  putchar('\n');
  return JS_UNDEFINED;
}

static JSValue js_read_file(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const char *path = JS_ToCString(ctx, argv[0]);
  if (!path) return JS_EXCEPTION;
  size_t length;
  char *text = read_file(path, &length);
  JS_FreeCString(ctx, path);
  if (!text) return JS_ThrowReferenceError(ctx, "cannot read file");
  JSValue result = JS_NewStringLen(ctx, text, length);
  free(text);
  return result;
}

static JSValue js_write_file(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const char *path = JS_ToCString(ctx, argv[0]);
  size_t length;
  const char *text = JS_ToCStringLen(ctx, &length, argv[1]);
  FILE *f = path && text ? fopen(path, "wb") : NULL;
  int ok = f && fwrite(text, 1, length, f) == length;
  if (f) ok = (fclose(f) == 0) && ok;
  JS_FreeCString(ctx, path);
  JS_FreeCString(ctx, text);
  return ok ? JS_UNDEFINED : JS_ThrowReferenceError(ctx, "cannot write file");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: qjs SCRIPT.js [ARGS...]\n");
    return 2;
  }
  size_t length;
  char *source = read_file(argv[1], &length);
  if (!source) {
    fprintf(stderr, "qjs: cannot read %s\n", argv[1]);
    return 2;
  }
  JSRuntime *rt = JS_NewRuntime();
  JSContext *ctx = JS_NewContext(rt);
  JSValue global = JS_GetGlobalObject(ctx);
  JS_SetPropertyStr(ctx, global, "print", JS_NewCFunction(ctx, js_print, "print", 1));
  JS_SetPropertyStr(ctx, global, "readFile", JS_NewCFunction(ctx, js_read_file, "readFile", 1));
  JS_SetPropertyStr(ctx, global, "writeFile", JS_NewCFunction(ctx, js_write_file, "writeFile", 2));
  JSValue args = JS_NewArray(ctx);
  for (int i = 2; i < argc; i++) JS_SetPropertyUint32(ctx, args, i - 2, JS_NewString(ctx, argv[i]));
  JS_SetPropertyStr(ctx, global, "scriptArgs", args);
  JS_FreeValue(ctx, global);

  JSValue result = JS_Eval(ctx, source, length, argv[1], JS_EVAL_TYPE_GLOBAL);
  int status = 0;
  if (JS_IsException(result)) {
    JSValue exception = JS_GetException(ctx);
    const char *message = JS_ToCString(ctx, exception);
    fprintf(stderr, "%s\n", message ? message : "exception");
    JS_FreeCString(ctx, message);
    JSValue stack = JS_GetPropertyStr(ctx, exception, "stack");
    if (!JS_IsUndefined(stack)) {
      const char *s = JS_ToCString(ctx, stack);
      if (s) fprintf(stderr, "%s", s);
      JS_FreeCString(ctx, s);
    }
    JS_FreeValue(ctx, stack);
    JS_FreeValue(ctx, exception);
    status = 1;
  }
  JS_FreeValue(ctx, result);
  JS_FreeContext(ctx);
  JS_FreeRuntime(rt);
  free(source);
  return status;
}
