/* remote_sample.h - CPU and memory of process trees on a remote host, read
 * by a small POSIX sh script sent over the host's existing connection (one
 * round trip per refresh, nothing installed there), and the parser of what
 * the script prints.  The figures mean what sample.h's do locally. */
#ifndef POOLTOP_REMOTE_SAMPLE_H
#define POOLTOP_REMOTE_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "loop.h"
#include "sample.h"

/* The script: run as `sh -s PID...` with itself on stdin, it prints one
 * header line and one line per PID, then `end` (see remote_sample.c). */
extern const char remote_sample_script[];

/* The host-wide part of one reading. */
struct remote_reading {
	long hertz;            /* clock ticks per second on the host */
	long page_size;        /* bytes per page there */
	double uptime;         /* the host's uptime in seconds: CPU% is measured on its clock */
	bool host_known;       /* the host line came (the fields below) */
	unsigned long long busy_ticks, all_ticks;  /* /proc/stat: busy and all CPU ticks */
	double load1;          /* 1-minute load average, -1 unknown */
	double cpu_pressure;   /* PSI cpu some avg10 %, -1 without PSI */
};

/* Parses the script's whole output.  For each trees[i].root listed there,
 * sets ticks, rss_bytes and processes (0 when the leader is gone) and
 * *root_started (seconds of uptime the leader started at, when not NULL:
 * an array of n); a root the output does not mention gets processes 0.
 * cpu_percent is left alone.  Returns 0, or -1 when the output is not one
 * complete reading (the connection failed, the host has no /proc...). */
int remote_sample_parse(const char *text, size_t len, struct tree_usage *trees, size_t n,
			double *root_started, struct remote_reading *reading);

/* ---- a reading running as a child process the loop watches ---------- */

struct remote_probe;

/* The shell command that runs the script (given on its stdin) for the
 * trees of roots[0..n-1]: "sh -s PID...", for the host's login shell
 * (ssh HOST COMMAND); malloc'd. */
char *remote_sample_command(const pid_t *roots, size_t n);

struct remote_probe *remote_probe_new(struct loop *loop);
/* Kills a reading still running. */
void remote_probe_free(struct remote_probe *probe);

/* Starts a reading of the trees of roots[0..n-1] (n may be 0: the host's
 * clock alone) by running argv (NULL-terminated), which runs
 * remote_sample_command(roots, n) where the trees are, e.g. ssh -S
 * CONTROL HOST 'sh -s PID...', or sh -c 'sh -s PID...' here; the script
 * is written to its stdin.  Returns 0; -1 when the previous reading still
 * runs (it goes on: one reading at a time per host) or argv could not be
 * started.  Figures of roots not listed are forgotten when it ends. */
int remote_probe_start(struct remote_probe *probe, char *const argv[], const pid_t *roots, size_t n);
/* A reading is under way. */
bool remote_probe_busy(const struct remote_probe *probe);
/* The host's part of the last complete reading; false when none. */
bool remote_probe_host(const struct remote_probe *probe, struct remote_reading *reading);
/* How many readings ended, complete or not (tests wait on this). */
unsigned long remote_probe_readings(const struct remote_probe *probe);
/* The figures of root's tree as of the last complete reading (cpu_percent
 * -1 while not known); false when that reading did not list root or the
 * root was gone. */
bool remote_probe_figures(const struct remote_probe *probe, pid_t root, struct tree_usage *usage);
/* Why the last reading failed (ssh's last words, sanitized by the
 * caller), or NULL after a complete one. */
const char *remote_probe_error(const struct remote_probe *probe);

/* ---- one probe per host, for the views ------------------------------ */

struct remote_figures;

/* The argv (NULL-terminated, one malloc'd block: free() it) that runs the
 * shell command `command` on the host of `login` through its connection;
 * NULL when the host cannot be asked now (it is down). */
typedef char **remote_argv_fn(void *data, const char *login, const char *command);
/* The one of the hosts table (hosts.h) given as data: through the host's
 * control master, while the host is up. */
remote_argv_fn remote_figures_hosts_argv;

struct remote_figures *remote_figures_new(struct loop *loop, remote_argv_fn *argv_for, void *data);
void remote_figures_free(struct remote_figures *figures);

/* One sample: name each remote slot's tree (its host's login, its pid
 * there), then request: one reading per host, the hosts whose last
 * reading still runs left out this time. */
void remote_figures_add(struct remote_figures *figures, const char *login, pid_t root);
void remote_figures_request(struct remote_figures *figures);
/* The figures of root's tree on the host, as of its last complete
 * reading; false when not known. */
bool remote_figures_get(const struct remote_figures *figures, const char *login, pid_t root,
			struct tree_usage *usage);

#endif
