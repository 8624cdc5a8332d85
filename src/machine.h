/* machine.h - the machine's own figures, read cheaply from /proc once per
 * refresh: the load average, CPU busy time between two readings, memory
 * available and the kernel's pressure-stall information (PSI); and how
 * long one task ran and waited for a core.  A figure
 * the kernel does not offer is unknown, never an error. */
#ifndef POOLTOP_MACHINE_H
#define POOLTOP_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Share of the last ten seconds some task waited for a resource ("some
 * avg10" of /proc/pressure/NAME), in percent; -1 without PSI. */
struct machine_pressure {
	double cpu, memory, io;
};

struct machine_figures {
	double load1;            /* 1-minute load average, -1 unknown */
	int cores;               /* CPUs counted in /proc/stat, 0 unknown */
	double busy_percent;     /* CPU busy between the last two readings, 100 = one core
				    (as the pool's CPU), so cores * 100 when all are busy;
				    -1 before the second reading */
	uint64_t mem_available;  /* MemAvailable, bytes; 0 unknown */
	uint64_t mem_total;      /* MemTotal, bytes; 0 unknown */
	struct machine_pressure pressure;
};

struct machine;

/* A reader of the figures under proc_root (NULL: "/proc"; tests give a
 * directory of their own).  Never NULL. */
struct machine *machine_new(const char *proc_root);
void machine_free(struct machine *machine);

/* Reads the figures now; busy_percent covers the time since the previous
 * call on the same reader. */
void machine_read(struct machine *machine, struct machine_figures *figures);

/* The time task pid has spent running on a core and waiting in a run
 * queue for one, in nanoseconds (/proc/PID/schedstat).  False when the
 * task is gone or the kernel does not say. */
bool machine_task_times(struct machine *machine, pid_t pid, uint64_t *run_ns, uint64_t *wait_ns);

/* Up to max children of task pid (/proc/PID/task/PID/children) into
 * children; returns how many. */
int machine_task_children(struct machine *machine, pid_t pid, pid_t *children, int max);

/* ---- the parsers, one per file ------------------------------------------- */

/* /proc/loadavg: the 1-minute average, -1 when unreadable. */
double machine_parse_loadavg(const char *text);
/* /proc/stat: the "cpu" line's busy and total ticks, and the number of
 * "cpuN" lines.  False when there is no "cpu" line. */
bool machine_parse_stat(const char *text, uint64_t *busy, uint64_t *total, int *cores);
/* The field `name` of /proc/meminfo's text ("Name:   1234 kB") in bytes;
 * false when it is absent. */
bool machine_meminfo_field(const char *text, const char *name, uint64_t *bytes);
/* /proc/meminfo: MemAvailable and MemTotal in bytes (0 when absent). */
void machine_parse_meminfo(const char *text, uint64_t *available, uint64_t *total);
/* /proc/PID/schedstat: run and wait nanoseconds; false when unreadable. */
bool machine_parse_schedstat(const char *text, uint64_t *run_ns, uint64_t *wait_ns);
/* /proc/pressure/NAME: "some avg10" in percent, -1 when absent. */
double machine_parse_pressure(const char *text);

#endif
