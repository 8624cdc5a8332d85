/* sample.h - CPU% and resident memory of process trees, read with
 * libproc2.  Each tree is a job (or worker) leader and all of its
 * descendants; only those trees are read, never all of /proc. */
#ifndef POOLTOP_SAMPLE_H
#define POOLTOP_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sampler;

struct tree_usage {
	pid_t root;            /* in: the tree's leader */
	double cpu_percent;    /* out: 100 = one core over the last interval (over its life so
				  far when first seen); -1 if not known yet */
	uint64_t rss_bytes;    /* out: resident memory of the whole tree */
	uint64_t ticks;        /* out: CPU the tree used so far (its live members and
				  what they reaped), in clock ticks */
	int processes;         /* out: live processes in the tree (0: the leader is gone) */
};

/* NULL when libproc2 cannot be set up (memory itself never runs short:
 * see xalloc.h). */
struct sampler *sampler_new(void);
void sampler_free(struct sampler *sampler);

/* Read every tree in trees[0..n-1] at time `now` (monotonic seconds).
 * CPU% is the tree's CPU time used since the previous call that listed the
 * same root, divided by the wall time in between; a root seen for the
 * first time reports its CPU time since it started over its age (-1 while
 * younger than 0.2 s).  Roots not listed are forgotten.  Returns 0, or -1
 * when libproc2 could not read the processes: every tree is unknown then. */
int sampler_update(struct sampler *sampler, struct tree_usage *trees, size_t n, double now);
/* Clock ticks per second of tree_usage.ticks. */
long sampler_hertz(const struct sampler *sampler);

/* --- one job's process tree, process by process (the detail view) --- */

/* Bytes of a process's command line kept (raw: sanitize before showing). */
#define PROCESS_COMMAND_SIZE 256

struct process_row {
	pid_t pid;
	pid_t parent;          /* its parent process */
	int depth;             /* 0: the tree's leader, 1: its children... */
	char state;            /* R, S, D, Z, T... as in /proc/PID/stat */
	double cpu_percent;    /* 100 = one core since the last reading (over its life
				  when first seen); -1 when not known yet */
	uint64_t rss_bytes;
	uint64_t ticks;        /* its own CPU so far (utime + stime), in clock ticks */
	char command[PROCESS_COMMAND_SIZE];  /* command line, or [name] when it has none */
};

struct process_tree {
	pid_t root;            /* the leader read last, 0 before the first reading */
	double read_at;        /* monotonic seconds of that reading */
	struct process_row *rows;  /* depth first, children by pid */
	size_t count, capacity;
	struct process_row *before;  /* the previous reading's rows, for CPU% */
	size_t before_count, before_capacity;
};

/* Reads the tree of `root` at `now` (monotonic seconds), each process on a
 * row of its own; CPU% is measured against the previous reading of the
 * same tree.  Returns 0, or -1 when the leader is gone or unreadable
 * (tree->count is 0 then). */
int sampler_tree_read(struct sampler *sampler, pid_t root, double now, struct process_tree *tree);
/* Is pid one of the processes of the last reading? */
bool process_tree_has(const struct process_tree *tree, pid_t pid);
void process_tree_free(struct process_tree *tree);

/* Puts rows in tree order, as a tree view shows them: the process `root`
 * first, each process followed by its children (by pid), depth set; rows
 * not descended from root are dropped.  Returns the rows kept.  Exposed
 * for tests. */
size_t process_tree_order(struct process_row *rows, size_t count, pid_t root);

/* The arithmetic, exposed for tests: CPU% from two tick totals taken
 * `seconds` apart with `hertz` ticks per second (never negative). */
double sample_cpu_percent(uint64_t ticks_before, uint64_t ticks_now, double seconds, long hertz);

#endif
