/* autotune_hosts.c - the driver of --autotune over -S hosts (see
 * autotune_hosts.h).  Each host has a window of its own, measured as
 * autotune.c measures the pool's: warm-up after a change, then items
 * completed there per second, its jobs' CPU from their reaped times (a
 * remote job's come back with its exit status), and the host's own busy
 * time, load and CPU pressure, read there once a second by the remote
 * sampler's script (remote_sample.h) over the host's connection. */
#include "autotune_hosts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "remote.h"
#include "remote_sample.h"
#include "text.h"
#include "xalloc.h"

struct host_tuner {
	struct autotune_search search;
	bool tuning;             /* the host takes items and its cores are known */
	struct autotune_window window;  /* over its slot count and the attempts that ended there */
	double reaped_cpu;       /* CPU seconds of its jobs reaped so far */
	double window_cpu;       /* reaped_cpu when the window began */

	struct remote_probe *probe;  /* the host's figures, read there */
	double probe_started;
	unsigned long probe_readings;  /* readings of it taken in */
	struct remote_reading first, last;  /* the window's first and latest readings */
	bool have_first, have_last;
};

/* Seconds between two readings of a host's figures. */
#define PROBE_SECONDS 1.0

struct autotune_hosts {
	struct pool *pool;
	struct loop *loop;
	struct autotune_tuning tuning;
	autotune_note_fn *note;
	void *note_data;
	struct host_tuner *hosts;  /* by host index */
	size_t capacity;
	int pool_target;         /* the pool's count after the last look: another path changed
				    it when it differs */
};

struct autotune_hosts *autotune_hosts_new(struct pool *pool, struct loop *loop,
					  const struct autotune_tuning *tuning, autotune_note_fn *note, void *data)
{
	struct autotune_hosts *tuner = xcalloc(1, sizeof *tuner);
	tuner->pool = pool;
	tuner->loop = loop;
	tuner->tuning = *tuning;
	tuner->note = note;
	tuner->note_data = data;
	tuner->pool_target = -1;
	return tuner;
}

void autotune_hosts_free(struct autotune_hosts *tuner)
{
	if (!tuner)
		return;
	for (size_t i = 0; i < tuner->capacity; i++)
		remote_probe_free(tuner->hosts[i].probe);
	free(tuner->hosts);
	free(tuner);
}

/* A window began: the host's CPU and figures count from here. */
static void window_began(struct host_tuner *host)
{
	host->window_cpu = host->reaped_cpu;
	host->have_first = host->have_last = false;
}

static void window_restart(struct host_tuner *host, const struct remote_host_stats *stats, double now)
{
	autotune_window_restart(&host->window, stats->slots, stats->done, now);
	window_began(host);
}

/* A reading of the host's figures every PROBE_SECONDS, one at a time; each
 * complete one taken in: the window's first, then its latest. */
static void host_probe(struct autotune_hosts *tuner, int index, struct host_tuner *host, double now)
{
	if (!host->probe)
		host->probe = remote_probe_new(tuner->loop);
	if (remote_probe_readings(host->probe) != host->probe_readings) {
		host->probe_readings = remote_probe_readings(host->probe);
		struct remote_reading reading;
		if (remote_probe_host(host->probe, &reading)) {
			if (!host->have_first) {
				host->first = reading;
				host->have_first = true;
			} else {
				host->last = reading;
				host->have_last = true;
			}
		}
	}
	if (remote_probe_busy(host->probe) || now - host->probe_started < PROBE_SECONDS)
		return;
	char *command = remote_sample_command(NULL, 0);
	char **argv = remote_pool_host_argv(tuner->pool, index, command);
	pid_t no_roots[1] = { 0 };
	if (argv && remote_probe_start(host->probe, argv, no_roots, 0) == 0)
		host->probe_started = now;
	free(argv);
	free(command);
}

static void begin_warmup(struct host_tuner *host, const struct remote_host_stats *stats, double now)
{
	autotune_window_warmup(&host->window, stats->slots, stats->done, now);
	window_began(host);
}

/* A host starts (again) to be tuned from its count now. */
static void host_start(struct autotune_hosts *tuner, struct host_tuner *host, const struct remote_host_stats *stats,
		       double now)
{
	autotune_search_init(&host->search, &tuner->tuning);
	host->tuning = true;
	begin_warmup(host, stats, now);
}

/* What the host's window measured.  What autotune reads of this machine
 * (load, pressure, the jobs' schedstat) is not known of another: the
 * search goes by throughput and by the CPU the jobs used there. */
static void window_reading(const struct host_tuner *host, const struct remote_host_stats *stats, double now,
			   struct autotune_reading *reading)
{
	double seconds = now - host->window.start;
	*reading = (struct autotune_reading){
		.jobs = host->window.jobs,
		.rate = seconds > 0 ? (double)(stats->done - host->window.done_at_start) / seconds : 0,
		.pool_cpu = seconds > 0 ? (host->reaped_cpu - host->window_cpu) / seconds * 100.0 : -1,
		.machine_busy = -1,
		.cores = stats->cores,
		.load = -1,
		.task_compute = -1,
		.task_wait = -1,
		.pressure = { .cpu = -1, .memory = -1, .io = -1 },
	};
	if (!host->have_last)
		return;
	const struct remote_reading *first = &host->first, *last = &host->last;
	if (last->all_ticks > first->all_ticks && last->busy_ticks >= first->busy_ticks)
		reading->machine_busy = (double)(last->busy_ticks - first->busy_ticks) /
					(double)(last->all_ticks - first->all_ticks) * stats->cores * 100.0;
	reading->load = last->load1;
	reading->pressure.cpu = last->cpu_pressure;
}

static void note_step(struct autotune_hosts *tuner, const struct host_tuner *host, const char *login, int from,
		      int to, const struct autotune_reading *reading)
{
	if (!tuner->note)
		return;
	enum autotune_reason reason = host->search.reason;
	char figures[128], text[256], name[64];
	autotune_reason_figures(reading, reason, figures, sizeof figures);
	text_sanitize(name, sizeof name, login, strlen(login), 0);  /* a login from --slf is not ours */
	struct pool_stats stats;
	pool_get_stats(tuner->pool, &stats);
	snprintf(text, sizeof text, "autotune: host %s jobs %d -> %d, %s: %s", name, from, to,
		 autotune_reason_name(reason), figures);
	struct autotune_step step = { .from = stats.target - (to - from), .to = stats.target, .reason = reason,
				      .text = text };
	tuner->note(tuner->note_data, &step);
}

static void window_judge(struct autotune_hosts *tuner, int index, struct host_tuner *host,
			 const struct remote_host_stats *stats, double now, const struct autotune_reading *reading)
{
	int from = host->window.jobs;
	int next = autotune_search_step(&host->search, reading);
	log_debug("autotune: host %s: %.2f/s with %d jobs over %.1f s, CPU %.0f%% of %d cores: %s, next %d",
		  stats->login, reading->rate, from, now - host->window.start, reading->pool_cpu, reading->cores,
		  autotune_reason_name(host->search.reason), next);
	if (next == from) {
		window_restart(host, stats, now);
		return;
	}
	int got = remote_pool_set_host_slots(tuner->pool, index, next);
	if (got < 0) {
		host->tuning = false;
		return;
	}
	struct pool_stats pool_stats;
	pool_get_stats(tuner->pool, &pool_stats);
	tuner->pool_target = pool_stats.target;
	note_step(tuner, host, stats->login, from, got, reading);
	struct remote_host_stats after;
	remote_pool_host_stats(tuner->pool, index, &after);
	begin_warmup(host, &after, now);
}

static void host_sample(struct autotune_hosts *tuner, int index, const struct pool_stats *pool_stats, double now)
{
	struct host_tuner *host = &tuner->hosts[index];
	struct remote_host_stats stats;
	if (!remote_pool_host_stats(tuner->pool, index, &stats))
		return;
	if (!stats.takes_items || stats.cores <= 0 || stats.slots <= 0) {
		host->tuning = false;  /* down, drained, or not known yet: tuned anew when it is */
		return;
	}
	host_probe(tuner, index, host, now);
	/* Its sshd's sessions bound the search. */
	int most = tuner->tuning.max_jobs;
	if (stats.session_limit > 0 && stats.session_limit < most)
		most = stats.session_limit;
	host->search.tuning.max_jobs = most > host->search.tuning.min_jobs ? most : host->search.tuning.min_jobs;
	if (!host->tuning) {
		host_start(tuner, host, &stats, now);
		return;
	}
	if (stats.slots != host->window.jobs) {  /* changed by another path (host add N/, a refused session) */
		begin_warmup(host, &stats, now);
		return;
	}
	bool starved = pool_stats->paused || pool_stats->suspended || pool_stats->stopping ||
		       stats.running < stats.slots;
	struct autotune_reading reading;
	switch (autotune_window_tick(&host->window, stats.done, starved, now)) {
	case AUTOTUNE_WINDOW_WAIT:
		return;
	case AUTOTUNE_WINDOW_WARMED:
	case AUTOTUNE_WINDOW_DROPPED:
		window_began(host);
		return;
	case AUTOTUNE_WINDOW_FULL:
		window_reading(host, &stats, now, &reading);
		window_judge(tuner, index, host, &stats, now, &reading);
		return;
	case AUTOTUNE_WINDOW_EARLY:
		window_reading(host, &stats, now, &reading);
		if (autotune_search_sure(&host->search, &reading))
			window_judge(tuner, index, host, &stats, now, &reading);
		return;
	}
}

void autotune_hosts_tick(struct autotune_hosts *tuner, double now)
{
	int count = remote_pool_host_count(tuner->pool);
	if (count <= 0)
		return;
	xgrow(&tuner->hosts, &tuner->capacity, (size_t)count, sizeof *tuner->hosts);
	struct pool_stats stats;
	pool_get_stats(tuner->pool, &stats);
	if (tuner->pool_target >= 0 && stats.target != tuner->pool_target) {
		/* Resized by another path (jobs, host add or drain): every host
		 * is measured anew. */
		log_debug("autotune: the pool was resized to %d by another path: hosts measured anew", stats.target);
		for (int i = 0; i < count; i++)
			tuner->hosts[i].tuning = false;
	}
	tuner->pool_target = stats.target;
	for (int i = 0; i < count; i++)
		host_sample(tuner, i, &stats, now);
}

void autotune_hosts_reaped(struct autotune_hosts *tuner, const struct pool_reaped *reaped)
{
	struct remote_host_stats stats;
	for (int i = 0; reaped->host && remote_pool_host_stats(tuner->pool, i, &stats); i++) {
		if (strcmp(stats.login, reaped->host))
			continue;
		if ((size_t)i < tuner->capacity)
			tuner->hosts[i].reaped_cpu += reaped->cpu_seconds;
		return;
	}
}

void autotune_hosts_restart(struct autotune_hosts *tuner, double now)
{
	(void)now;
	for (size_t i = 0; i < tuner->capacity; i++)
		tuner->hosts[i].tuning = false;
	tuner->pool_target = -1;
}
