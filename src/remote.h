/* remote.h - pools whose slots run on the hosts of -S/--sshlogin: each
 * slot belongs to one host at a time, within the host's slot count, and
 * runs one item at a time there through the host's control master. */
#ifndef POOLTOP_REMOTE_H
#define POOLTOP_REMOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hosts.h"
#include "pool.h"

/* A command-mode pool over hosts (which it does not own).  Its initial
 * target is the hosts' slots in all (1 for a host whose CPU count is not
 * known yet: the pool grows when it is).  shell: --shell, whose script
 * runs in the remote login shell as GNU parallel runs a command. */
struct pool *remote_pool_new(const struct pool_config *config, struct loop *loop, struct items *items,
			     const struct pool_events *events, struct hosts *hosts, bool shell);
/* Start the hosts' connections, before pool_start (slots wait for their
 * host).  -1 with a message in error. */
int remote_pool_connect(struct pool *pool, char *error, size_t size);

/* host add LOGIN ([N/]LOGIN: a new host, connected now, the pool grown
 * by its slots; a drained one takes items again) and host drain LOGIN
 * (no new items there, running ones finish, the pool shrunk by its
 * slots).  0 or -1, with what happened in reply. */
int remote_pool_host(struct pool *pool, const char *action, const char *login, char *reply, size_t size);

/* One host of a remote pool, as the views and autotune see it. */
struct remote_host_stats {
	const char *login;
	const char *state;       /* "up", "connecting", "down", "draining", "removed" */
	const char *reason;      /* why it is down, or NULL */
	bool takes_items;        /* up and not drained */
	int slots;               /* the slots it takes now */
	int slots_used;          /* slots of the pool on it */
	int running;             /* of them, running an item */
	uint64_t done;           /* attempts that ended there */
	int cores;               /* its CPUs, 0 until known */
	int session_limit;       /* channels its sshd allowed, 0 when none was refused */
};

/* The hosts of the pool (0 for a pool without -S), and one of them. */
int remote_pool_host_count(const struct pool *pool);
bool remote_pool_host_stats(const struct pool *pool, int index, struct remote_host_stats *stats);
/* Set the host's slot count (autotune): the pool grows or shrinks by the
 * difference.  Returns the count it takes (its sshd may allow fewer), or
 * -1 for a host drained or removed. */
int remote_pool_set_host_slots(struct pool *pool, int index, int slots);
/* The argv (NULL-terminated, one malloc'd block: free() it) that runs the
 * shell command on the host (through its connection, or sh -c here); NULL
 * while it is not up. */
char **remote_pool_host_argv(const struct pool *pool, int index, const char *command);

/* --workdir, --transferfile, --return, --cleanup, --basefile around the
 * remote jobs (not owned; NULL: none). */
struct remote_files;
void remote_pool_set_files(struct pool *pool, struct remote_files *files);

/* The remote command (malloc'd) that runs argv on a host as GNU parallel
 * runs a job there: in the login shell, in a process group of its own
 * whose id comes first on stderr, killed when its session's input ends.
 * shell_script: argv is "sh -c SCRIPT" and SCRIPT itself is run.  Exposed
 * for tests. */
char *remote_wrapper(char *const *argv, bool shell_script, int grace_seconds);

#endif
