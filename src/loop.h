/* loop.h - the event loop: one poll() over file descriptors, signals
 * delivered as a file (signalfd) and one-shot timers.  Everything pooltop
 * does happens in a callback run from loop_run(). */
#ifndef POOLTOP_LOOP_H
#define POOLTOP_LOOP_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct loop;

typedef void loop_fd_fn(struct loop *loop, int fd, short revents, void *data);
typedef void loop_timer_fn(struct loop *loop, void *data);
typedef void loop_signal_fn(struct loop *loop, int signo, void *data);

struct loop *loop_new(void);  /* never NULL */
void loop_free(struct loop *loop);

/* Watch fd (>= 0) for events (POLLIN, POLLOUT); one handler per fd.
 * Registering an fd or a timer cannot fail (see xalloc.h). */
void loop_add_fd(struct loop *loop, int fd, short events, loop_fd_fn *fn, void *data);
void loop_set_events(struct loop *loop, int fd, short events);
void loop_del_fd(struct loop *loop, int fd);

/* One-shot timer `delay` seconds from now; returns an id > 0 for loop_del_timer. */
uint64_t loop_add_timer(struct loop *loop, double delay, loop_timer_fn *fn, void *data);
void loop_del_timer(struct loop *loop, uint64_t id);

/* Block the signals in `set` and deliver them through the loop.  A signal
 * pooltop's caller ignored stays ignored and is left out (nohup's SIGHUP),
 * unless it is also in `needed` (SIGCHLD: pooltop cannot run without it):
 * that one is taken back to its default action and watched. */
int loop_watch_signals(struct loop *loop, const sigset_t *set, const sigset_t *needed,
		       loop_signal_fn *fn, void *data);
/* In a child between fork and exec: the signal mask pooltop started with,
 * and the signals its caller ignored ignored again.  Async-signal-safe. */
void loop_prepare_exec(void);

/* Run until loop_stop(); returns 0, or -1 if poll() failed. */
int loop_run(struct loop *loop);
void loop_stop(struct loop *loop);

/* Monotonic clock in seconds. */
double loop_now(void);
/* The same clock read once per loop turn: inside handlers, the time the
 * turn's poll() returned (cheap for per-item bookkeeping); outside them,
 * loop_now(). */
double loop_time(const struct loop *loop);

#endif
