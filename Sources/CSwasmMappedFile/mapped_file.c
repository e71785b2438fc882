#include "CSwasmMappedFile.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

// The registered mappings: a fixed table the signal handler reads without locks. A slot's `start` is published
// last (release) when it is claimed, and cleared first when it is given up.
enum { slot_count = 256 };
typedef struct {
  _Atomic(uintptr_t) start;
  size_t length;
  atomic_bool damaged;
} mapping_slot;
static mapping_slot slots[slot_count];
static pthread_mutex_t claiming = PTHREAD_MUTEX_INITIALIZER;  // registration only; never taken by the handler
static struct sigaction previous_bus;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static mapping_slot *slot_holding(uintptr_t address) {
  for (int i = 0; i < slot_count; i++) {
    uintptr_t start = atomic_load_explicit(&slots[i].start, memory_order_acquire);
    if (start && address >= start && address - start < slots[i].length) return &slots[i];
  }
  return NULL;
}

/// Hands a fault that is not ours to the handler installed before, or dies the default way.
static void pass_on(int sig, siginfo_t *info, void *ucontext) {
  if (previous_bus.sa_flags & SA_SIGINFO) {
    if (previous_bus.sa_sigaction) { previous_bus.sa_sigaction(sig, info, ucontext); return; }
  } else if (previous_bus.sa_handler == SIG_IGN) {
    return;
  } else if (previous_bus.sa_handler != SIG_DFL && previous_bus.sa_handler) {
    previous_bus.sa_handler(sig);
    return;
  }
  signal(sig, SIG_DFL);  // the faulting read runs again and the signal kills the process the usual way
}

static void on_bus_error(int sig, siginfo_t *info, void *ucontext) {
  mapping_slot *slot = info ? slot_holding((uintptr_t)info->si_addr) : NULL;
  if (slot) {
    uintptr_t page = (uintptr_t)info->si_addr & ~(uintptr_t)(sysconf(_SC_PAGESIZE) - 1);
    void *zeros = mmap((void *)page, (size_t)sysconf(_SC_PAGESIZE), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                       -1, 0);
    if (zeros != MAP_FAILED) {
      atomic_store(&slot->damaged, true);
      return;  // the read runs again, and finds zeros
    }
  }
  pass_on(sig, info, ucontext);
}

static void install(void) {
  struct sigaction action;
  sigemptyset(&action.sa_mask);
  action.sa_sigaction = on_bus_error;
  action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigaction(SIGBUS, &action, &previous_bus);
}

int swasm_map_file(int fd, size_t length, const void **start) {
  *start = NULL;
  if (length == 0) return -1;
  pthread_once(&install_once, install);
  pthread_mutex_lock(&claiming);
  int handle = -1;
  for (int i = 0; i < slot_count && handle < 0; i++) {
    if (atomic_load(&slots[i].start) == 0) handle = i;
  }
  if (handle >= 0) {
    void *mapped = mmap(NULL, length, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapped == MAP_FAILED) {
      handle = -1;
    } else {
      slots[handle].length = length;
      atomic_store(&slots[handle].damaged, false);
      atomic_store_explicit(&slots[handle].start, (uintptr_t)mapped, memory_order_release);
      *start = mapped;
    }
  }
  pthread_mutex_unlock(&claiming);
  return handle;
}

bool swasm_mapping_damaged(int handle) { return atomic_load(&slots[handle].damaged); }

void swasm_unmap_file(int handle) {
  pthread_mutex_lock(&claiming);
  void *start = (void *)atomic_exchange(&slots[handle].start, 0);
  size_t length = slots[handle].length;
  pthread_mutex_unlock(&claiming);
  munmap(start, length);
}
