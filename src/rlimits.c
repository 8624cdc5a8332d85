/* rlimits.c - the pool within the process's resource limits.  RLIMIT_NPROC
 * counts every thread of the user, so /proc is read only when the limit
 * could bite at all. */
#include "rlimits.h"

#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

/* A running job holds its two pipes and, once its output is large, a
 * spill file for each; pooltop keeps a few fds of its own (items, signals,
 * /dev/null, the terminal, the guardian, joblog, -k's held output), and
 * with --control the listening socket and one per client. */
#define FDS_PER_SLOT 4
#define FDS_RESERVED_SMALL 16
#define FDS_RESERVED 32
/* Control clients take at most this share of what the reserve leaves. */
#define CONTROL_SHARE 4

/* The open-file limit pooltop's caller set, for its jobs. */
static struct rlimit caller_fd_limit;
static bool fd_limit_raised;

/* The fds pooltop keeps for itself: the reserve shrinks with a small
 * limit, so ulimit -n 32 still runs a few jobs, not one. */
static rlim_t reserved_within(rlim_t open_files)
{
	return open_files >= 4 * FDS_RESERVED ? FDS_RESERVED : FDS_RESERVED_SMALL;
}

/* Control clients fit in a quarter of what is left past the reserve. */
static int control_clients_within(rlim_t open_files, int wanted)
{
	if (wanted <= 0)
		return 0;
	rlim_t reserved = reserved_within(open_files);
	rlim_t room = open_files > reserved ? (open_files - reserved) / CONTROL_SHARE : 0;
	if (room < 1)
		room = 1;
	return (rlim_t)wanted < room ? wanted : (int)room;
}

/* The slots the open-file limit leaves room for, past the reserve and
 * the control socket's fds (its listening socket and `clients`). */
static rlim_t slots_within(rlim_t open_files, int clients)
{
	rlim_t reserved = reserved_within(open_files) + (clients ? (rlim_t)clients + 1 : 0);
	if (open_files < reserved + FDS_PER_SLOT)
		return 1;
	return (open_files - reserved) / FDS_PER_SLOT;
}

bool rlimits_raise_fd_limit(struct pool_config *pool, int *control_clients, char *note, size_t size)
{
	struct rlimit limit;
	if (getrlimit(RLIMIT_NOFILE, &limit))
		return false;
	caller_fd_limit = limit;
	if (limit.rlim_cur != limit.rlim_max) {
		limit.rlim_cur = limit.rlim_max;
		fd_limit_raised = setrlimit(RLIMIT_NOFILE, &limit) == 0;
	}
	getrlimit(RLIMIT_NOFILE, &limit);
	*control_clients = control_clients_within(limit.rlim_cur, *control_clients);
	rlim_t slots = slots_within(limit.rlim_cur, *control_clients);
	if ((rlim_t)pool->max_jobs <= slots)
		return false;
	bool shrunk = (rlim_t)pool->jobs > slots;
	if (shrunk)
		snprintf(note, size, "only %lu workers fit in the open-file limit (ulimit -n %lu): running %lu",
			 (unsigned long)slots, (unsigned long)limit.rlim_cur, (unsigned long)slots);
	pool->max_jobs = (int)slots;
	if (pool->min_jobs > pool->max_jobs)
		pool->min_jobs = pool->max_jobs;
	if (pool->jobs > pool->max_jobs)
		pool->jobs = pool->max_jobs;
	return shrunk;
}

/* select() and programs that close every fd up to the limit expect the
 * limit their caller gave them, not the hard one. */
void rlimits_prepare_exec(void)
{
	if (fd_limit_raised)
		setrlimit(RLIMIT_NOFILE, &caller_fd_limit);
}

/* Threads this user runs now, as RLIMIT_NPROC counts them. */
static long user_thread_count(void)
{
	DIR *proc = opendir("/proc");
	if (!proc)
		return 0;
	long count = 0;
	uid_t uid = getuid();
	struct dirent *entry;
	while ((entry = readdir(proc))) {
		if (!isdigit((unsigned char)entry->d_name[0]))
			continue;
		char path[300], line[128];
		snprintf(path, sizeof path, "/proc/%s/status", entry->d_name);
		FILE *status = fopen(path, "re");
		if (!status)
			continue;
		bool mine = false;
		while (fgets(line, sizeof line, status)) {
			unsigned long real_uid, threads;
			if (sscanf(line, "Uid: %lu", &real_uid) == 1)
				mine = real_uid == uid;
			else if (mine && sscanf(line, "Threads: %lu", &threads) == 1)
				count += (long)threads;
		}
		fclose(status);
	}
	closedir(proc);
	return count;
}

/* Threads on the whole system (the last figure of /proc/loadavg), or -1. */
static long system_thread_count(void)
{
	FILE *loadavg = fopen("/proc/loadavg", "re");
	long running, total = -1;
	if (!loadavg)
		return -1;
	if (fscanf(loadavg, "%*s %*s %*s %ld/%ld", &running, &total) != 2)
		total = -1;
	fclose(loadavg);
	return total;
}

/* Every job is a process of this user: never plan more workers than
 * RLIMIT_NPROC leaves room for.  When the limit is above every thread on
 * the system plus --max-jobs, /proc need not be read. */
bool rlimits_clamp_to_process_limit(struct pool_config *pool, char *note, size_t size)
{
	struct rlimit limit;
	if (getrlimit(RLIMIT_NPROC, &limit) || limit.rlim_cur == RLIM_INFINITY)
		return false;
	long everyone = system_thread_count();
	if (everyone >= 0 && limit.rlim_cur >= (rlim_t)(everyone + pool->max_jobs))
		return false;
	long room = (long)limit.rlim_cur - user_thread_count();
	if (room < 1)
		room = 1;
	if (pool->max_jobs <= room)
		return false;
	bool shrunk = pool->jobs > room;
	if (shrunk)
		snprintf(note, size, "only %ld workers fit in the process limit (ulimit -u %lu): running %ld",
			 room, (unsigned long)limit.rlim_cur, room);
	pool->max_jobs = (int)room;
	if (pool->min_jobs > pool->max_jobs)
		pool->min_jobs = pool->max_jobs;
	if (pool->jobs > pool->max_jobs)
		pool->jobs = pool->max_jobs;
	return shrunk;
}

