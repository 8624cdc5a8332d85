/* cpu_account.h - the CPU and memory of each slot of a pool, counted so
 * that every tick counts once: a live process tree by the growth of its
 * ticks between two samples, a reaped process by its rusage less what its
 * samples already counted.  The terminal interface and the control
 * socket's status read the same figures from one of these. */
#ifndef POOLTOP_CPU_ACCOUNT_H
#define POOLTOP_CPU_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pool.h"
#include "sample.h"

/* The last sample of one slot's process tree, kept by slot index. */
struct slot_sample {
	pid_t pid;                      /* the tree root it belongs to, 0 when none */
	uint64_t rss_bytes;
	bool known;                     /* the tree was alive when read */
	bool skipped;                   /* not read at this sample: its last reading stands */
	bool remote;                    /* a job on another host: its figures come from there */
};

/* The CPU one slot number used since the last sample. */
struct slot_account {
	pid_t root;                     /* the tree counted at the last sample, 0 when none */
	uint64_t ticks_counted;         /* its tick total then */
	double reaped_seconds;          /* CPU of processes reaped since, not yet counted */
	double cpu_percent;             /* over the last interval, -1 before the first */
	uint64_t peak_rss;              /* the slot's highest resident memory */
	uint64_t rss_bytes;             /* the tree's resident memory at its last reading */
	bool busy;                      /* the tree used CPU between its last two readings */
};

/* An idle tree off screen is read every SAMPLE_SPREAD samples; trees on
 * screen, busy ones and new ones at every sample. */
#define SAMPLE_SPREAD 5

struct cpu_account {
	const struct pool *pool;        /* observed: read, never driven from here */
	struct sampler *sampler;

	struct tree_usage *trees;       /* sampler input/output, one per live slot */
	size_t trees_capacity;
	int *tree_slot;                 /* slot number of each tree */
	size_t tree_slot_capacity;
	struct slot_sample *samples;    /* by slot index, as of the last sample */
	size_t samples_capacity;
	size_t sample_count;            /* samples filled */

	struct slot_account *accounts;  /* by slot number (index 0 unused) */
	size_t accounts_capacity;
	long hertz;                     /* clock ticks per second of the samples */
	double started;                 /* monotonic seconds the account began at */
	double last_sample_time;        /* monotonic seconds, 0 before the first */

	double total_cpu;               /* the pool's CPU% over the last interval, -1 before */
	uint64_t total_rss;             /* resident memory of the live trees at the last sample */

	int visible_first;              /* slot indexes on screen, read at every sample; */
	int visible_count;              /* every slot until the owner says otherwise */
	unsigned long sample_round;     /* samples taken, for the idle trees' turns */
};

/* One slot's figures, as of the last sample. */
struct slot_usage {
	double cpu_percent;             /* over the last interval (100 = one core), -1 unknown */
	uint64_t rss_bytes;             /* the live tree's resident memory */
	uint64_t peak_rss_bytes;        /* the slot's highest: samples and ru_maxrss */
	bool sampled;                   /* rss_bytes belongs to the slot's current process */
};

/* Starts an empty account of pool.  -1 when the process trees cannot be
 * read (libproc2 failed). */
int cpu_account_init(struct cpu_account *account, const struct pool *pool);
void cpu_account_free(struct cpu_account *account);

/* Reads the CPU and memory of every slot's process tree at `now`
 * (monotonic seconds) and closes the interval since the last sample. */
void cpu_account_sample(struct cpu_account *account, double now);

/* The slot indexes a screen shows: read at every sample, while the other
 * idle trees take turns. */
void cpu_account_set_visible(struct cpu_account *account, int first, int count);

/* A process of slot `reaped->slot` was reaped: its CPU joins the slot's
 * figure of the current interval, its peak memory the slot's peak. */
void cpu_account_reaped(struct cpu_account *account, const struct pool_reaped *reaped);

/* Where the figures of jobs on other hosts come from (remote_sample.h),
 * for every account of the process: one set of hosts per run.  NULL (the
 * default) when every slot runs here. */
struct remote_figures;
void cpu_account_set_remote(struct remote_figures *figures);

/* The figures of the slot the view shows (by its index and pid). */
void cpu_account_slot(const struct cpu_account *account, int index, const struct slot_view *view,
		      struct slot_usage *usage);

#endif
