/* remote_run.h - a run over the hosts of -S/--sshlogin and --slf, wired
 * in one place: the host table from the options, the pool of remote
 * slots, and what comes around them (the remote figures of the views,
 * the files moved around jobs, the login file read again as it changes). */
#ifndef POOLTOP_REMOTE_RUN_H
#define POOLTOP_REMOTE_RUN_H

#include <stddef.h>

#include "hosts.h"
#include "items.h"
#include "loop.h"
#include "options.h"
#include "pool.h"

struct remote_run;

/* The hosts of the options and a pool whose slots run on them; a host
 * without N/ takes -j slots when -j was given, as with GNU parallel.
 * NULL with a message in error (nothing started). */
struct remote_run *remote_run_open(const struct options *options, struct loop *loop, struct items *items,
				   const struct pool_events *events, char *error, size_t size);
struct pool *remote_run_pool(const struct remote_run *run);
struct hosts *remote_run_hosts(const struct remote_run *run);
/* Start the control masters (after pool_start: a host's slots wait for
 * it) and watch --slf.  -1 with a message in error. */
int remote_run_connect(struct remote_run *run, char *error, size_t size);
/* The run is over: --cleanup of --basefile, then every connection closes
 * (the remote sessions end, and what still ran there). */
void remote_run_close(struct remote_run *run);
/* After pool_free (the pool's slots leave their hosts).  NULL is fine. */
void remote_run_free(struct remote_run *run);

#endif
