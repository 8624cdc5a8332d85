/* spawn_loop.c - the machine's bound for one process per item: a bare loop
 * that keeps JOBS copies of a program running with posix_spawn and wait,
 * N in all, and does nothing else (no pipes, no output, no scheduling).
 * Each copy gets its item number as its last argument, as the runners it
 * is compared with pass each item (`true 17` does more than `true`).
 * Usage: spawn_loop N JOBS PROGRAM [ARG...] */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>  /* environ, with the _GNU_SOURCE configure defines */

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: spawn_loop N JOBS PROGRAM [ARG...]\n");
		return 2;
	}
	long total = atol(argv[1]), jobs = atol(argv[2]), started = 0, running = 0;
	int words = argc - 3, failed = 0;
	char **child_argv = calloc((size_t)words + 2, sizeof *child_argv);
	char item[24];
	if (!child_argv) {
		perror("calloc");
		return 1;
	}
	memcpy(child_argv, argv + 3, (size_t)words * sizeof *child_argv);
	child_argv[words] = item;
	while (started < total || running > 0) {
		while (running < jobs && started < total) {
			pid_t pid;
			snprintf(item, sizeof item, "%ld", started + 1);
			if (posix_spawn(&pid, argv[3], NULL, NULL, child_argv, environ)) {
				perror("posix_spawn");
				return 1;
			}
			started++;
			running++;
		}
		int status;
		if (wait(&status) < 0) {
			perror("wait");
			return 1;
		}
		running--;
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	free(child_argv);
	return failed ? 1 : 0;
}
