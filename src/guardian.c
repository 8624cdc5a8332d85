/* guardian.c - the guardian: a process of its own (pooltop run again as
 * pooltop-guard) that reads job process groups from a pipe only pooltop
 * writes to.  End of file without a word means pooltop is gone (kill -9, a
 * crash): it kills the groups and exits. */
#include "guardian.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

/* How often the guardian forgets groups that have emptied, so that a
 * group id the system hands out again is not killed by mistake. */
#define PRUNE_SECONDS 1
/* pooltop's word for "leave the groups alone": no process group is 0. */
#define RELEASE ((pid_t)0)
/* The pipe's size: a second of jobs at the fastest is a few kilobytes. */
#define GUARDIAN_PIPE_BYTES (256 * 1024)
/* Where the guardian finds its end of the pipe. */
#define GUARDIAN_FD 3

static int guardian_fd = -1;  /* pooltop's end of the pipe, or -1 */

/* ---- the guardian's side ------------------------------------------------- */

struct groups {
	pid_t *ids;              /* process groups of jobs, in no order */
	size_t count;
	size_t cap;
	time_t last_prune;       /* monotonic seconds */
};

static time_t monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Forget the groups that have no process left. */
static void groups_prune(struct groups *groups)
{
	for (size_t i = 0; i < groups->count;) {
		if (kill(-groups->ids[i], 0) && errno == ESRCH)
			groups->ids[i] = groups->ids[--groups->count];
		else
			i++;
	}
	groups->last_prune = monotonic_seconds();
}

static void groups_kill(const struct groups *groups)
{
	for (size_t i = 0; i < groups->count; i++)
		kill(-groups->ids[i], SIGKILL);
}

/* Read all that pooltop sent so far.  Returns false once the guardian is
 * done: end of file (the groups were killed) or a release. */
static bool guardian_read(int fd, struct groups *groups)
{
	pid_t batch[1024];
	for (;;) {
		ssize_t n = read(fd, batch, sizeof batch);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		if (n <= 0) {
			groups_kill(groups);
			return false;
		}
		/* Writes of one pid_t are atomic, so reads hold whole ones. */
		size_t received = (size_t)n / sizeof batch[0];
		for (size_t i = 0; i < received; i++) {
			if (batch[i] == RELEASE)
				return false;
			if (groups->count == groups->cap)
				xgrow(&groups->ids, &groups->cap, groups->count + 1, sizeof *groups->ids);
			groups->ids[groups->count++] = batch[i];
		}
	}
}

/* Read from fd until pooltop is gone or lets the groups go.  The guardian
 * does not wake for each job: it asks poll for no event, so only the end
 * of the pipe (pooltop gone) or its once-a-second round wakes it, and it
 * reads then what came meanwhile; the pipe holds far more than a second
 * of jobs. */
static void guardian_serve(int fd)
{
	struct groups groups = { .last_prune = monotonic_seconds() };
	fcntl(fd, F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd entry = { .fd = fd, .events = 0 };
		int ready = poll(&entry, 1, PRUNE_SECONDS * 1000);
		if (ready < 0 && errno != EINTR)
			break;
		if (!guardian_read(fd, &groups))
			break;
		if (groups.count && monotonic_seconds() - groups.last_prune >= PRUNE_SECONDS)
			groups_prune(&groups);
	}
	free(groups.ids);
}

int guardian_main(void)
{
	prctl(PR_SET_NAME, GUARDIAN_NAME);
	guardian_serve(GUARDIAN_FD);
	return 0;
}

/* In the guardian before exec: no terminal, no signals from pooltop's
 * process group or session (a kill of the whole group must not take it
 * along), no fd but its end of the pipe, as GUARDIAN_FD.  `program` is
 * pooltop's binary, as /proc/self/exe named it in pooltop (under valgrind,
 * /proc/self/exe itself is valgrind's). */
static _Noreturn void guardian_exec(int fd, const char *program)
{
	setsid();
	if (fd == GUARDIAN_FD)
		fcntl(fd, F_SETFD, 0);
	else if (dup2(fd, GUARDIAN_FD) < 0)
		_exit(1);
	close_range(GUARDIAN_FD + 1, ~0U, 0);
	int null_fd = open("/dev/null", O_RDWR | O_NOCTTY);
	for (int standard = 0; standard < 3 && null_fd >= 0; standard++)
		dup2(null_fd, standard);
	if (null_fd > GUARDIAN_FD)
		close(null_fd);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	static char name[] = GUARDIAN_NAME, flag[] = GUARDIAN_FLAG;
	char *argv[] = { name, flag, NULL };
	if (*program)
		execv(program, argv);
	execv("/proc/self/exe", argv);
	/* No binary to run (it was removed): guard from here. */
	guardian_serve(GUARDIAN_FD);
	_exit(0);
}

/* ---- pooltop's side -------------------------------------------------------- */

/* Forked twice, so that the guardian is no child of pooltop's: pooltop's
 * children are its jobs, and the guardian never shows among them. */
int guardian_start(void)
{
	char program[4096];
	ssize_t len = readlink("/proc/self/exe", program, sizeof program - 1);
	program[len > 0 ? len : 0] = '\0';
	int fds[2];
	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid_t middle = fork();
	if (middle == 0) {
		close(fds[1]);
		if (fork() == 0)
			guardian_exec(fds[0], program);
		_exit(0);
	}
	int saved = errno;
	close(fds[0]);
	if (middle < 0) {
		close(fds[1]);
		errno = saved;
		return -1;
	}
	while (waitpid(middle, NULL, 0) < 0 && errno == EINTR)
		;
	/* A guardian that stopped reading must never stall the run; room for
	 * many seconds of jobs between two of its reads. */
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	fcntl(fds[1], F_SETPIPE_SZ, GUARDIAN_PIPE_BYTES);
	guardian_fd = fds[1];
	log_debug("guardian started");
	return 0;
}

void guardian_watch_group(pid_t pgid)
{
	if (guardian_fd < 0)
		return;
	ssize_t n;
	do
		n = write(guardian_fd, &pgid, sizeof pgid);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof pgid)
		return;
	/* The guardian was killed (EPIPE), or is stopped with its pipe full. */
	log_debug("the guardian does not take process group %d: %s", (int)pgid,
		  n < 0 ? (errno == EPIPE ? "it is gone" : "its pipe is full") : "short write");
	if (n < 0 && errno == EPIPE) {
		close(guardian_fd);
		guardian_fd = -1;
	}
}

void guardian_release(void)
{
	if (guardian_fd < 0)
		return;
	pid_t release = RELEASE;
	if (write(guardian_fd, &release, sizeof release) != (ssize_t)sizeof release)
		log_debug("the guardian was not told to leave the jobs alone");
	close(guardian_fd);
	guardian_fd = -1;
}
