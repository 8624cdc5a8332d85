/* remote_hosts.c - hosts joining and leaving a run over -S while it goes
 * on (host add, drain, remove: the control socket and --slf), and each
 * host's figures and slot count for status and autotune. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "remote.h"
#include "remote_internal.h"
#include "xalloc.h"

/* ---- hosts added and drained while the run goes on ---------------------- */

/* The per-host arrays follow the table as it grows. */
static void host_arrays_grow(struct remote *remote)
{
	size_t count = (size_t)hosts_count(remote->hosts) + 1;
	remote->counted = xreallocarray(remote->counted, count, sizeof *remote->counted);
	remote->told_down = xreallocarray(remote->told_down, count, sizeof *remote->told_down);
	remote->counted[count - 1] = remote->told_down[count - 1] = false;
}

/* The slots the pool counts for the host: its limit, or the one slot
 * counted while its CPU count is not known. */
static int counted_slots(const struct remote *remote, const struct host *host)
{
	int limit = host_slot_limit(remote->hosts, host);
	return remote->counted[host->index] ? limit : (limit > 0 ? limit : 1);
}

/* The host's slot count changed from `before`: the pool follows, and slots
 * over the host's new count move to other hosts as they finish. */
static void host_count_changed(struct remote *remote, int before, int after)
{
	if (after != before)
		pool_resize(remote->pool, pool_target(remote->pool) + after - before, SHRINK_GRACEFUL, NULL);
	remote_place_slots(remote);
	pool_dispatch(remote->pool);
}

static int host_add(struct remote *remote, const char *login, char *reply, size_t size)
{
	int before = hosts_count(remote->hosts);
	const char *name = strchr(login, '/') ? strchr(login, '/') + 1 : login;
	struct host *known = hosts_find(remote->hosts, name);
	int slots_before = known && !known->removed && !known->draining ? counted_slots(remote, known) : 0;
	if (hosts_add_list(remote->hosts, login, hosts_default_slots(remote->hosts), reply, size))
		return -1;
	if (known) {
		/* Known already: N/ sets its slots; a drained or removed host
		 * takes items again. */
		bool was_removed = known->removed;
		if (name != login)
			known->slots_set = 0;
		known->draining = known->removed = false;
		if (was_removed)
			hosts_connect(remote->hosts, known);
		int slots_after = counted_slots(remote, known);
		if (slots_after == slots_before && !was_removed) {
			snprintf(reply, size, "host %s is in the pool already (%d slot%s)", known->login, slots_after,
				 slots_after == 1 ? "" : "s");
			return 0;
		}
		host_count_changed(remote, slots_before, slots_after);
		snprintf(reply, size, "host %s takes %d slots", known->login, slots_after);
		return 0;
	}
	struct host *host = hosts_at(remote->hosts, before);
	host_arrays_grow(remote);
	remote->counted[host->index] = host_slot_limit(remote->hosts, host) > 0;
	log_debug("host %s added (%d slots asked)", host->login, host_slot_limit(remote->hosts, host));
	hosts_connect(remote->hosts, host);
	host_count_changed(remote, 0, counted_slots(remote, host));
	snprintf(reply, size, "host %s added", host->login);
	return 0;
}

static struct host *host_named(struct remote *remote, const char *login, char *reply, size_t size)
{
	struct host *host = hosts_find(remote->hosts, login);
	if (!host || host->removed) {
		snprintf(reply, size, "no host %s in the pool", login);
		return NULL;
	}
	return host;
}

static int host_drain(struct remote *remote, const char *login, char *reply, size_t size)
{
	struct host *host = host_named(remote, login, reply, size);
	if (!host)
		return -1;
	if (!host->draining) {
		int slots = counted_slots(remote, host);
		host->draining = true;
		log_debug("host %s drained: its %d running items finish", host->login, host->slots_used);
		host_count_changed(remote, slots, 0);
	}
	snprintf(reply, size, "host %s drained: no new items, %d running finish", host->login, host->slots_used);
	return 0;
}

/* Drained at once: its running items are killed and go back to the head
 * of the queue (uncounted, as a kill-shrink's), and its connection is
 * closed once no slot is on it. */
static int host_remove(struct remote *remote, const char *login, char *reply, size_t size)
{
	struct host *host = host_named(remote, login, reply, size);
	if (!host)
		return -1;
	int others = 0;
	for (int i = 0; i < hosts_count(remote->hosts); i++)
		others += hosts_at(remote->hosts, i) != host && !hosts_at(remote->hosts, i)->removed;
	if (!others) {
		snprintf(reply, size, "host %s is the last host of the run", host->login);
		return -1;
	}
	int slots = host->draining ? 0 : counted_slots(remote, host);
	host->draining = host->removed = true;
	int killed = 0;
	struct pool *pool = remote->pool;
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		struct remote_slot *rs = remote_slot(slot);
		if (!rs || rs->host != host || !slot->pid || slot->reaped)
			continue;
		slot->requeue = true;
		slot_signal(slot, SIGKILL);
		killed++;
	}
	log_debug("host %s removed: %d running items killed and requeued", host->login, killed);
	if (!host->slots_used && host->state != HOST_DOWN)
		hosts_disconnect(remote->hosts, host);
	host_count_changed(remote, slots, 0);
	snprintf(reply, size, "host %s removed: %d running items run again elsewhere", host->login, killed);
	return 0;
}

int remote_pool_host(struct pool *pool, const char *action, const char *login, char *reply, size_t size)
{
	if (pool->kind != &remote_slot_kind) {
		snprintf(reply, size, "no hosts: this run was started without -S/--sshlogin or --slf");
		return -1;
	}
	struct remote *remote = remote_of(pool);
	if (!strcmp(action, "add"))
		return host_add(remote, login, reply, size);
	if (!strcmp(action, "drain"))
		return host_drain(remote, login, reply, size);
	if (!strcmp(action, "remove"))
		return host_remove(remote, login, reply, size);
	snprintf(reply, size, "host wants add, drain or remove");
	return -1;
}

/* ---- per host, for autotune and status ---------------------------------- */

int remote_pool_host_count(const struct pool *pool)
{
	return pool->kind == &remote_slot_kind ? hosts_count(remote_of(pool)->hosts) : 0;
}

bool remote_pool_host_stats(const struct pool *pool, int index, struct remote_host_stats *stats)
{
	if (index < 0 || index >= remote_pool_host_count(pool))
		return false;
	const struct remote *remote = remote_of(pool);
	const struct host *host = hosts_at(remote->hosts, index);
	int running = 0;
	for (int i = 0; i < pool->nslots; i++) {
		const struct remote_slot *rs = remote_slot(pool->slots[i]);
		running += rs && rs->host == host && pool->slots[i]->inflight_count > 0;
	}
	*stats = (struct remote_host_stats){
		.login = host->login,
		.state = host->removed ? "removed" : host->draining ? "draining"
			 : host->state == HOST_UP ? "up" : host->state == HOST_CONNECTING ? "connecting" : "down",
		.reason = host->state == HOST_DOWN && !host->removed ? host->reason : NULL,
		.takes_items = host->state == HOST_UP && !host->draining,
		.slots = host_slot_limit(remote->hosts, host),
		.slots_used = host->slots_used,
		.running = running,
		.done = host->done,
		.cores = host->cpus,
		.session_limit = host->session_limit,
	};
	return true;
}

int remote_pool_set_host_slots(struct pool *pool, int index, int slots)
{
	if (index < 0 || index >= remote_pool_host_count(pool) || slots < 1)
		return -1;
	struct remote *remote = remote_of(pool);
	struct host *host = hosts_at(remote->hosts, index);
	if (host->removed || host->draining)
		return -1;
	int before = counted_slots(remote, host);
	host->slots_set = slots;
	remote->counted[host->index] = true;
	int after = host_slot_limit(remote->hosts, host);
	log_debug("host %s: %d slots (asked %d)", host->login, after, slots);
	host_count_changed(remote, before, after);
	return after;
}

char **remote_pool_host_argv(const struct pool *pool, int index, const char *command)
{
	if (index < 0 || index >= remote_pool_host_count(pool))
		return NULL;
	const struct remote *remote = remote_of(pool);
	const struct host *host = hosts_at(remote->hosts, index);
	if (host->state != HOST_UP)
		return NULL;
	if (!host->local)
		return hosts_ssh_argv(remote->hosts, host, false, command);
	/* This machine: sh -c COMMAND, in one block as hosts_ssh_argv's. */
	const char *words[] = { "sh", "-c", command };
	return proc_argv_join(words, 3, NULL);
}
