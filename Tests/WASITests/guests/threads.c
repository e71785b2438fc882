// Threads under wasi-threads: several threads made with `thread-spawn` update shared counters with atomics, take
// a lock built on memory.atomic.wait32/notify, meet at a barrier, and the main thread waits for them all.
//   threads [counters]  prints the totals (the same every run)
//   threads waits       wait timeouts and notify counts
//   threads trap        a thread traps while the others wait: the whole program ends
//   threads exit        a thread calls proc_exit(7) while the others wait: the program exits with 7
//   threads hang        every thread waits forever, and so does the main thread (for --timeout)
// zig's wasi-libc has no pthread_create for wasi-threads, so threads are made here as wasi-libc would make them:
// a stack of their own (threads-start.s sets __stack_pointer), no libc calls off the main thread.
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

__attribute__((import_module("wasi"), import_name("thread-spawn"))) int32_t thread_spawn(void *start);

enum { THREADS = 4, ROUNDS = 5000, STACK = 16384 };

struct start {
  uint32_t stack_top;  // read by wasi_thread_start (threads-start.s) before any C code runs
  int index;
  void (*body)(int index);
};

static _Alignas(16) char stacks[THREADS][STACK];
static struct start starts[THREADS];
static atomic_int finished;
static atomic_int thread_ids[THREADS];

static void wait_while_equal(atomic_int *p, int value) {
  while (atomic_load(p) == value) __builtin_wasm_memory_atomic_wait32((int *)p, value, -1);
}

static void wake_all(atomic_int *p) { __builtin_wasm_memory_atomic_notify((int *)p, UINT32_MAX); }

// A lock: 0 free, 1 taken, 2 taken with waiters (Drepper's "futexes are tricky", mutex 2).
static atomic_int lock_word;
static void lock(void) {
  int c = 0;
  if (atomic_compare_exchange_strong(&lock_word, &c, 1)) return;
  if (c != 2) c = atomic_exchange(&lock_word, 2);
  while (c != 0) {
    __builtin_wasm_memory_atomic_wait32((int *)&lock_word, 2, -1);
    c = atomic_exchange(&lock_word, 2);
  }
}
static void unlock(void) {
  if (atomic_fetch_sub(&lock_word, 1) != 1) {
    atomic_store(&lock_word, 0);
    __builtin_wasm_memory_atomic_notify((int *)&lock_word, 1);
  }
}

// A barrier for the worker threads: the last to arrive releases the others.
static atomic_int arrived, generation;
static void barrier(void) {
  int g = atomic_load(&generation);
  if (atomic_fetch_add(&arrived, 1) == THREADS - 1) {
    atomic_store(&arrived, 0);
    atomic_fetch_add(&generation, 1);
    wake_all(&generation);
  } else {
    wait_while_equal(&generation, g);
  }
}

static atomic_llong atomic_sum;
static atomic_int atomic_max;
static long long locked_sum;        // plain memory, updated under the lock
static long long phase_sums[THREADS][2];

static void count(int index) {
  for (int i = 1; i <= ROUNDS; i++) {
    atomic_fetch_add(&atomic_sum, (long long)i * (index + 1));
    int seen = atomic_load(&atomic_max), mine = i * (index + 1);
    while (seen < mine && !atomic_compare_exchange_weak(&atomic_max, &seen, mine)) {}
    lock();
    locked_sum += index + 1;
    unlock();
  }
  // Phase two reads what every thread wrote in phase one: correct only if the barrier waited for all of them.
  barrier();
  phase_sums[index][0] = atomic_load(&atomic_sum);
  barrier();
  phase_sums[index][1] = locked_sum;
}

void thread_main(int tid, struct start *start) {
  atomic_store(&thread_ids[start->index], tid);
  start->body(start->index);
  atomic_fetch_add(&finished, 1);
  wake_all(&finished);
}

static int spawn_all(void (*body)(int)) {
  for (int i = 0; i < THREADS; i++) {
    starts[i] = (struct start){(uint32_t)(uintptr_t)(stacks[i] + STACK), i, body};
    int tid = thread_spawn(&starts[i]);
    if (tid <= 0) {
      printf("thread-spawn failed: %d\n", tid);
      return 1;
    }
  }
  return 0;
}

static void join_all(void) {
  int f;
  while ((f = atomic_load(&finished)) < THREADS) __builtin_wasm_memory_atomic_wait32((int *)&finished, f, -1);
}

static int counters(void) {
  if (spawn_all(count)) return 1;
  join_all();
  long long expected = 0;
  for (int t = 0; t < THREADS; t++) expected += (long long)(t + 1) * ROUNDS * (ROUNDS + 1) / 2;
  printf("atomic sum %lld (expected %lld)\n", atomic_load(&atomic_sum), expected);
  printf("atomic max %d\n", atomic_load(&atomic_max));
  printf("locked sum %lld (expected %d)\n", locked_sum, ROUNDS * THREADS * (THREADS + 1) / 2);
  int agree = 1;
  for (int t = 0; t < THREADS; t++) agree &= phase_sums[t][0] == expected && phase_sums[t][1] == locked_sum;
  printf("every thread saw the totals after the barrier: %s\n", agree ? "yes" : "no");
  int distinct = 1;
  for (int a = 0; a < THREADS; a++)
    for (int b = 0; b < a; b++) distinct &= thread_ids[a] != thread_ids[b] && thread_ids[a] > 0;
  printf("thread ids positive and distinct: %s\n", distinct ? "yes" : "no");
  return 0;
}

static atomic_int gate, waiting;
static void wait_at_gate(int index) {
  atomic_fetch_add(&waiting, 1);
  wake_all(&waiting);
  wait_while_equal(&gate, 0);
}

static int waits(void) {
  int word = 5;
  printf("wait on another value: %d\n", __builtin_wasm_memory_atomic_wait32(&word, 6, -1));
  printf("wait 1 ms: %d\n", __builtin_wasm_memory_atomic_wait32(&word, 5, 1000000));
  long long wide = 1;
  printf("wait64 1 ms: %d\n", __builtin_wasm_memory_atomic_wait64(&wide, 1, 1000000));
  printf("notify with nobody waiting: %u\n", __builtin_wasm_memory_atomic_notify(&word, 10));
  if (spawn_all(wait_at_gate)) return 1;
  int w;
  while ((w = atomic_load(&waiting)) < THREADS) __builtin_wasm_memory_atomic_wait32((int *)&waiting, w, -1);
  // Every thread is in (or about to enter) its wait on gate: a notify of 1 wakes at most one; the rest go on
  // waiting until the gate opens.
  unsigned woken = 0;
  atomic_store(&gate, 1);
  while (atomic_load(&finished) < THREADS) woken += __builtin_wasm_memory_atomic_notify((int *)&gate, 1);
  printf("notified threads: at most %d: %s\n", THREADS, woken <= THREADS ? "yes" : "no");
  join_all();
  printf("all threads finished: %d\n", atomic_load(&finished));
  return 0;
}

static void trap_in_second(int index) {
  if (index == 1) __builtin_trap();
  wait_while_equal(&gate, 0);  // never opened: only the trap ends the program
}

static void wait_forever(int index) { wait_while_equal(&gate, 0); }

static void exit_in_third(int index) {
  if (index == 2) __wasi_proc_exit(7);
  wait_while_equal(&gate, 0);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "counters";
  if (!strcmp(mode, "counters")) return counters();
  if (!strcmp(mode, "waits")) return waits();
  if (!strcmp(mode, "trap") || !strcmp(mode, "exit") || !strcmp(mode, "hang")) {
    printf("%s\n", mode);
    fflush(stdout);
    if (spawn_all(!strcmp(mode, "trap") ? trap_in_second : !strcmp(mode, "exit") ? exit_in_third : wait_forever)) return 1;
    join_all();  // never ends
    printf("not reached\n");
    return 0;
  }
  printf("unknown mode %s\n", mode);
  return 2;
}
