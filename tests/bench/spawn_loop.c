/* spawn_loop.c - the machine's bound for one process per item: a bare loop
 * that keeps JOBS copies of a program running with posix_spawn and wait,
 * N in all, and does nothing else (no pipes, no output, no scheduling).
 * Usage: spawn_loop N JOBS PROGRAM [ARG...] */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>  /* environ, with the _GNU_SOURCE configure defines */

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: spawn_loop N JOBS PROGRAM [ARG...]\n");
		return 2;
	}
	long total = atol(argv[1]), jobs = atol(argv[2]), started = 0, running = 0;
	int failed = 0;
	while (started < total || running > 0) {
		while (running < jobs && started < total) {
			pid_t pid;
			if (posix_spawn(&pid, argv[3], NULL, NULL, argv + 3, environ)) {
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
	return failed ? 1 : 0;
}
