/* busy_job.c - a CPU-bound job for the benchmarks: it spins until it has
 * used MILLISECONDS of its own CPU time, then exits.  Counting CPU time,
 * not wall time, makes each job the same amount of work however many share
 * the cores.  Usage: busy_job MILLISECONDS [ITEM...] (items are ignored). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_seconds(void)
{
	struct timespec now;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: busy_job MILLISECONDS [ITEM...]\n", stderr);
		return 2;
	}
	double until = cpu_seconds() + atof(argv[1]) / 1000.0;
	volatile unsigned long spins = 0;
	while (cpu_seconds() < until)
		for (int i = 0; i < 1000; i++)
			spins++;
	return 0;
}
