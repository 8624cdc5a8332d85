/* reference_loop.c - the physical limit of the worker protocol on this
 * machine: a parent that starts WORKERS line workers, feeds them the items
 * 1..N over pipes with poll(), K in flight each, and counts the result lines.
 * Nothing else, so pooltop --worker can be measured against it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORKERS 64
/* K lines of at most 21 bytes must fit the pipe, so writes never block. */
#define MAX_INFLIGHT 2048

struct worker {
	pid_t pid;           /* the worker process */
	int in_fd;           /* our end of its stdin, -1 once closed */
	int out_fd;          /* our end of its stdout, -1 at end of file */
	long inflight;       /* items written, results not yet read */
};

static long long next_item = 1;  /* the next item to send */
static long long last_item;      /* N */

static int worker_start(struct worker *worker, char *const argv[])
{
	int to_child[2], from_child[2];
	if (pipe2(to_child, O_CLOEXEC) < 0 || pipe2(from_child, O_CLOEXEC) < 0)
		return -1;
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
	int error = posix_spawn(&worker->pid, argv[0], &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	close(to_child[0]);
	close(from_child[1]);
	if (error) {
		errno = error;
		return -1;
	}
	worker->in_fd = to_child[1];
	worker->out_fd = from_child[0];
	worker->inflight = 0;
	return 0;
}

/* Tops the worker up to `limit` items in flight with one write(); closes
 * its stdin once every item has been sent. */
static int worker_feed(struct worker *worker, long limit)
{
	char batch[MAX_INFLIGHT * 21];
	size_t len = 0;
	while (worker->inflight < limit && next_item <= last_item) {
		len += (size_t)sprintf(batch + len, "%lld\n", next_item++);
		worker->inflight++;
	}
	for (size_t done = 0; done < len;) {
		ssize_t n = write(worker->in_fd, batch + done, len - done);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n > 0)
			done += (size_t)n;
	}
	if (next_item > last_item && worker->in_fd >= 0) {
		close(worker->in_fd);
		worker->in_fd = -1;
	}
	return 0;
}

/* Reads what the worker has answered; returns the number of result lines,
 * or -1 at end of file. */
static long worker_collect(struct worker *worker)
{
	char buffer[65536];
	ssize_t n = read(worker->out_fd, buffer, sizeof buffer);
	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0)
		return -1;
	long lines = 0;
	for (const char *at = buffer, *end = buffer + n;
	     (at = memchr(at, '\n', (size_t)(end - at))) != NULL; at++)
		lines++;
	worker->inflight -= lines;
	return lines;
}

int main(int argc, char *argv[])
{
	if (argc < 5) {
		fprintf(stderr, "usage: reference_loop WORKERS ITEMS INFLIGHT COMMAND [ARG]...\n");
		return 2;
	}
	int worker_count = atoi(argv[1]);
	last_item = atoll(argv[2]);
	long inflight = atol(argv[3]);
	if (worker_count < 1 || worker_count > MAX_WORKERS || last_item < 0 ||
	    inflight < 1 || inflight > MAX_INFLIGHT) {
		fprintf(stderr, "reference_loop: 1..%d workers, 1..%d in flight\n",
			MAX_WORKERS, MAX_INFLIGHT);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);

	struct worker workers[MAX_WORKERS];
	struct pollfd polls[MAX_WORKERS];
	for (int i = 0; i < worker_count; i++) {
		if (worker_start(&workers[i], argv + 4) < 0 || worker_feed(&workers[i], inflight) < 0) {
			perror("reference_loop: worker");
			return 1;
		}
	}

	long long results = 0;
	for (int open_workers = worker_count; open_workers > 0;) {
		for (int i = 0; i < worker_count; i++)
			polls[i] = (struct pollfd){ .fd = workers[i].out_fd, .events = POLLIN };
		if (poll(polls, (nfds_t)worker_count, -1) < 0 && errno != EINTR) {
			perror("reference_loop: poll");
			return 1;
		}
		for (int i = 0; i < worker_count; i++) {
			if (!polls[i].revents)
				continue;
			long lines = worker_collect(&workers[i]);
			if (lines < 0) {
				close(workers[i].out_fd);
				workers[i].out_fd = -1;
				open_workers--;
				continue;
			}
			results += lines;
			if (workers[i].in_fd >= 0 && worker_feed(&workers[i], inflight) < 0) {
				perror("reference_loop: write");
				return 1;
			}
		}
	}
	for (int i = 0; i < worker_count; i++)
		waitpid(workers[i].pid, NULL, 0);
	printf("%lld\n", results);
	return results == last_item ? 0 : 1;
}
