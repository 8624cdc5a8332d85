/* remote_internal.h - what remote.c (the slot kind) and remote_hosts.c
 * (hosts joining and leaving a run, per-host figures) share: the kind's
 * per-pool and per-slot state. */
#ifndef POOLTOP_REMOTE_INTERNAL_H
#define POOLTOP_REMOTE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "hosts.h"
#include "slot.h"

/* The longest line of ssh's own read before the pid marker, and the
 * longest marker held back (the exit marker with the job's `times`). */
#define HEAD_MAX 512
#define MARKER_MAX 128

struct remote {
	struct pool *pool;
	struct hosts *hosts;
	bool shell;              /* --shell: the script runs in the login shell */
	int grace_seconds;       /* from TERM to KILL on the remote side */
	bool *counted;           /* per host: its real slot count is in the pool's target */
	bool *told_down;         /* per host: its being down was told */
	bool all_down_told;
	char error[256];         /* why a remote job could not start */
	struct remote_files *files;  /* --workdir, --transferfile..., or NULL */
};

struct remote_slot {
	struct host *host;       /* NULL while no host has room for the slot */
	pid_t remote_pid;        /* the remote job's process group, 0 until known */
	bool head_done;          /* the start of stderr was checked for the pid marker */
	char head[HEAD_MAX];      /* a line of stderr before the pid marker */
	size_t head_len;
	char tail[MARKER_MAX];   /* the end of stderr held back: maybe the exit marker */
	size_t tail_len;
	int exit_code;           /* from the exit marker, -1 until it came */
	double cpu_seconds;      /* the job's CPU there, from the exit marker; -1 unknown */
	bool refused;            /* the master refused the session (MaxSessions) */
};

static inline struct remote *remote_of(const struct pool *pool)
{
	return pool->kind_state;
}

static inline struct remote_slot *remote_slot(const struct slot *slot)
{
	return slot->kind_data;
}

/* Idle slots on a host that cannot take items, or over its count, leave
 * it; slots without a host take the one with most room. */
void remote_place_slots(struct remote *remote);

#endif
