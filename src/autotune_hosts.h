/* autotune_hosts.h - --autotune over the hosts of -S: one hill climb per
 * host (autotune.h's search), each over that host's slot count, judged on
 * the items that ended there, the CPU its jobs used there, and the host's
 * cores, busy time, load and CPU pressure read there.
 * A fast host and a slow one, or a CPU-bound and an idle one, each find
 * their own count. */
#ifndef POOLTOP_AUTOTUNE_HOSTS_H
#define POOLTOP_AUTOTUNE_HOSTS_H

#include "autotune.h"
#include "pool.h"

struct autotune_hosts;

/* Each host's count searched within the tuning's range (and its sshd's
 * session limit); steps are told to note with the pool's counts. */
struct autotune_hosts *autotune_hosts_new(struct pool *pool, struct loop *loop,
					  const struct autotune_tuning *tuning, autotune_note_fn *note, void *data);
void autotune_hosts_free(struct autotune_hosts *tuner);
/* A sample (four a second). */
void autotune_hosts_tick(struct autotune_hosts *tuner, double now);
/* A job was reaped: its CPU counts toward its host's. */
void autotune_hosts_reaped(struct autotune_hosts *tuner, const struct pool_reaped *reaped);
/* Every host's search starts again from its count now. */
void autotune_hosts_restart(struct autotune_hosts *tuner, double now);

#endif
