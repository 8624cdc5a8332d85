/* loop.c - a poll() event loop in one sitting: a table of watched fds, a
 * short list of one-shot timers and a signalfd for signals.  Small on
 * purpose; pool, front ends and the control socket all hang off it. */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

struct fd_watch {
	loop_fd_fn *fn;   /* handler, NULL when the slot is free */
	void *data;       /* handler's argument */
	int index;        /* position in pollfds */
};

struct timer {
	uint64_t id;      /* 0 when the slot is free */
	double due;       /* monotonic seconds */
	loop_timer_fn *fn;
	void *data;
};

struct loop {
	struct pollfd *pollfds;    /* what poll() watches, dense */
	int npollfds;
	size_t pollfds_cap;
	struct fd_watch *watches;  /* indexed by fd */
	size_t watches_cap;
	struct timer *timers;      /* unsorted; few enough that a scan is cheapest */
	int ntimers;
	size_t timers_cap;
	uint64_t next_timer_id;
	int signal_fd;
	loop_signal_fn *signal_fn;
	void *signal_data;
	bool stopping;
	bool in_turn;              /* running handlers: turn_time is valid */
	double turn_time;          /* when this turn's poll() returned */
};

static sigset_t original_sigmask;

/* Signals the caller ignored that pooltop took back (loop_watch_signals'
 * `needed`): children get them ignored again. */
static int retaken_signals[8];
static int nretaken_signals;

struct loop *loop_new(void)
{
	struct loop *loop = xcalloc(1, sizeof *loop);
	loop->signal_fd = -1;
	loop->next_timer_id = 1;
	/* The mask pooltop started with, before any loop blocked signals. */
	static bool mask_saved;
	if (!mask_saved) {
		sigprocmask(SIG_SETMASK, NULL, &original_sigmask);
		mask_saved = true;
	}
	return loop;
}

void loop_free(struct loop *loop)
{
	if (!loop)
		return;
	if (loop->signal_fd >= 0)
		close(loop->signal_fd);
	free(loop->pollfds);
	free(loop->watches);
	free(loop->timers);
	free(loop);
}

void loop_add_fd(struct loop *loop, int fd, short events, loop_fd_fn *fn, void *data)
{
	xgrow(&loop->watches, &loop->watches_cap, (size_t)fd + 1, sizeof *loop->watches);
	xgrow(&loop->pollfds, &loop->pollfds_cap, (size_t)loop->npollfds + 1, sizeof *loop->pollfds);
	struct fd_watch *watch = &loop->watches[fd];
	if (!watch->fn) {
		watch->index = loop->npollfds++;
		loop->pollfds[watch->index] = (struct pollfd){ .fd = fd };
	}
	watch->fn = fn;
	watch->data = data;
	loop->pollfds[watch->index].events = events;
}

void loop_set_events(struct loop *loop, int fd, short events)
{
	if (fd >= 0 && (size_t)fd < loop->watches_cap && loop->watches[fd].fn)
		loop->pollfds[loop->watches[fd].index].events = events;
}

void loop_del_fd(struct loop *loop, int fd)
{
	if (fd < 0 || (size_t)fd >= loop->watches_cap || !loop->watches[fd].fn)
		return;
	int hole = loop->watches[fd].index;
	int last = --loop->npollfds;
	if (hole != last) {
		loop->pollfds[hole] = loop->pollfds[last];
		loop->watches[loop->pollfds[hole].fd].index = hole;
	}
	loop->watches[fd].fn = NULL;
	loop->watches[fd].data = NULL;
}

uint64_t loop_add_timer(struct loop *loop, double delay, loop_timer_fn *fn, void *data)
{
	int slot;
	for (slot = 0; slot < loop->ntimers; slot++)
		if (!loop->timers[slot].id)
			break;
	if (slot == loop->ntimers) {
		xgrow(&loop->timers, &loop->timers_cap, (size_t)loop->ntimers + 1, sizeof *loop->timers);
		loop->ntimers++;
	}
	loop->timers[slot] = (struct timer){
		.id = loop->next_timer_id++, .due = loop_now() + delay, .fn = fn, .data = data,
	};
	return loop->timers[slot].id;
}

void loop_del_timer(struct loop *loop, uint64_t id)
{
	if (!id)
		return;
	for (int i = 0; i < loop->ntimers; i++)
		if (loop->timers[i].id == id) {
			loop->timers[i].id = 0;
			break;
		}
	while (loop->ntimers > 0 && !loop->timers[loop->ntimers - 1].id)
		loop->ntimers--;
}

static void signal_ready(struct loop *loop, int fd, short revents, void *data)
{
	(void)revents;
	(void)data;
	struct signalfd_siginfo info;
	while (read(fd, &info, sizeof info) == (ssize_t)sizeof info)
		loop->signal_fn(loop, (int)info.ssi_signo, loop->signal_data);
}

/* The caller's choice for signo: true when it is ignored, and then
 * taken back to its default action if pooltop needs it. */
static bool ignored_by_caller(int signo, const sigset_t *needed)
{
	struct sigaction action;
	if (sigaction(signo, NULL, &action) || action.sa_handler != SIG_IGN)
		return false;
	bool keep_ignored = !sigismember(needed, signo);
	log_debug("signal %d (%s) was ignored at start: %s", signo, strsignal(signo),
		  keep_ignored ? "it stays ignored" : "taken back, and ignored again in jobs");
	if (keep_ignored)
		return true;
	struct sigaction default_action = { .sa_handler = SIG_DFL };
	sigemptyset(&default_action.sa_mask);
	if (sigaction(signo, &default_action, NULL) == 0 &&
	    nretaken_signals < (int)(sizeof retaken_signals / sizeof retaken_signals[0]))
		retaken_signals[nretaken_signals++] = signo;
	return false;
}

int loop_watch_signals(struct loop *loop, const sigset_t *set, const sigset_t *needed,
		       loop_signal_fn *fn, void *data)
{
	/* An ignored signal is dropped when sent, but a blocked one is kept
	 * for the signalfd even if ignored: leave the ignored ones alone. */
	sigset_t watched = *set;
	for (int signo = 1; signo < NSIG; signo++)
		if (sigismember(set, signo) == 1 && ignored_by_caller(signo, needed))
			sigdelset(&watched, signo);
	if (sigprocmask(SIG_BLOCK, &watched, NULL))
		return -1;
	int fd = signalfd(loop->signal_fd, &watched, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -1;
	loop->signal_fd = fd;
	loop->signal_fn = fn;
	loop->signal_data = data;
	loop_add_fd(loop, fd, POLLIN, signal_ready, NULL);
	return 0;
}

void loop_prepare_exec(void)
{
	static const struct sigaction ignore = { .sa_handler = SIG_IGN };
	for (int i = 0; i < nretaken_signals; i++)
		sigaction(retaken_signals[i], &ignore, NULL);
	sigprocmask(SIG_SETMASK, &original_sigmask, NULL);
}

/* Milliseconds until the next timer, or -1 to wait forever. */
static int next_timeout(struct loop *loop, double now)
{
	double soonest = -1;
	for (int i = 0; i < loop->ntimers; i++)
		if (loop->timers[i].id && (soonest < 0 || loop->timers[i].due < soonest))
			soonest = loop->timers[i].due;
	if (soonest < 0)
		return -1;
	if (soonest <= now)
		return 0;
	double ms = (soonest - now) * 1000.0 + 0.999;  /* round up: never wake early */
	return ms > 86400000.0 ? 86400000 : (int)ms;
}

static void run_due_timers(struct loop *loop)
{
	double now = loop_now();
	/* Only timers due now: ones a callback adds wait for the next turn. */
	int count = loop->ntimers;
	for (int i = 0; i < count && i < loop->ntimers && !loop->stopping; i++) {
		struct timer timer = loop->timers[i];
		if (!timer.id || timer.due > now)
			continue;
		loop_del_timer(loop, timer.id);
		timer.fn(loop, timer.data);
	}
}

int loop_run(struct loop *loop)
{
	loop->stopping = false;
	while (!loop->stopping) {
		int timeout = next_timeout(loop, loop_now());
		int ready = poll(loop->pollfds, (nfds_t)loop->npollfds, timeout);
		if (ready < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		loop->turn_time = loop_now();
		loop->in_turn = true;
		/* Handlers may add or remove fds.  A removal moves the last entry
		 * into the hole: walking from the end, that entry was visited
		 * already, and its revents were cleared before its handler ran,
		 * so it is not handled twice; added entries carry no revents. */
		for (int i = loop->npollfds - 1; i >= 0 && ready > 0 && !loop->stopping; i--) {
			if (i >= loop->npollfds)
				continue;
			struct pollfd entry = loop->pollfds[i];
			if (!entry.revents)
				continue;
			ready--;
			loop->pollfds[i].revents = 0;
			struct fd_watch *watch = &loop->watches[entry.fd];
			if (watch->fn)
				watch->fn(loop, entry.fd, entry.revents, watch->data);
		}
		run_due_timers(loop);
		loop->in_turn = false;
	}
	return 0;
}

void loop_stop(struct loop *loop)
{
	loop->stopping = true;
}

double loop_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double loop_time(const struct loop *loop)
{
	return loop->in_turn ? loop->turn_time : loop_now();
}
