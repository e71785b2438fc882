#include "CSwasmGuard.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <unistd.h>

typedef struct guarded_run {
  sigjmp_buf resume;
  uint8_t *const volatile *memory_base;
  struct guarded_run *outer;
} guarded_run;

static __thread guarded_run *current_run = NULL;
static struct sigaction previous_segv, previous_bus;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static bool inside_reservation(const guarded_run *run, const void *address) {
  uintptr_t base = (uintptr_t)*run->memory_base;
  uintptr_t a = (uintptr_t)address;
  return a >= base && a - base < swasm_guarded_reservation;
}

/// Hands a fault that is not ours to the handler installed before, or dies the default way.
static void pass_on(int sig, siginfo_t *info, void *ucontext, const struct sigaction *previous) {
  if (previous->sa_flags & SA_SIGINFO) {
    if (previous->sa_sigaction) { previous->sa_sigaction(sig, info, ucontext); return; }
  } else if (previous->sa_handler == SIG_IGN) {
    return;
  } else if (previous->sa_handler != SIG_DFL && previous->sa_handler) {
    previous->sa_handler(sig);
    return;
  }
  // Default action: restore it and return; the faulting instruction runs again and the signal kills the process
  // with the usual status (and core dump).
  signal(sig, SIG_DFL);
}

static void on_fault(int sig, siginfo_t *info, void *ucontext) {
  guarded_run *run = current_run;
  if (run && info && inside_reservation(run, info->si_addr)) {
    // The signal is not blocked (SA_NODEFER, empty sa_mask), so the mask needs no restoring: a plain jump back.
    siglongjmp(run->resume, 1);
  }
  pass_on(sig, info, ucontext, sig == SIGSEGV ? &previous_segv : &previous_bus);
}

static void install(void) {
  struct sigaction action;
  sigemptyset(&action.sa_mask);
  action.sa_sigaction = on_fault;
  action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigaction(SIGSEGV, &action, &previous_segv);
  sigaction(SIGBUS, &action, &previous_bus);
}

bool swasm_run_guarded(swasm_guarded_body body, void *context, uint8_t *const volatile *memory_base) {
  pthread_once(&install_once, install);
  guarded_run run;
  run.memory_base = memory_base;
  run.outer = current_run;
  // 0: do not save the signal mask (a system call on every entry); see on_fault.
  if (sigsetjmp(run.resume, 0) == 0) {
    current_run = &run;
    body(context);
    current_run = run.outer;
    return false;
  }
  current_run = run.outer;
  return true;
}

void *swasm_guard_suspend(void) {
  guarded_run *run = current_run;
  current_run = NULL;
  return run;
}

void swasm_guard_resume(void *run) { current_run = run; }
