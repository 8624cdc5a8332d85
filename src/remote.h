/* remote.h - pools whose slots run on the hosts of -S/--sshlogin: each
 * slot belongs to one host at a time, within the host's slot count, and
 * runs one item at a time there through the host's control master. */
#ifndef POOLTOP_REMOTE_H
#define POOLTOP_REMOTE_H

#include <stdbool.h>
#include <stddef.h>

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
