/* throttle.c - --load, --memfree and --memsuspend (see throttle.h): the
 * readings of /proc, the decisions GNU parallel makes with them, and the
 * engine's part: a timer that reads the machine every THROTTLE_INTERVAL
 * while jobs run or the pool is held, kills or suspends the youngest jobs
 * when memory runs short, and lets the scheduler start again. */
#include "throttle.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "machine.h"
#include "slot.h"
#include "xalloc.h"

/* ---- the decisions ------------------------------------------------------- */

const char *throttle_reason_name(enum throttle_reason reason)
{
	switch (reason) {
	case THROTTLE_LOAD:
		return "load";
	case THROTTLE_MEMFREE:
		return "memfree";
	case THROTTLE_MEMSUSPEND:
		return "memsuspend";
	case THROTTLE_NONE:
		break;
	}
	return NULL;
}

bool throttle_limits_active(const struct throttle_limits *limits)
{
	return limits->load > 0 || limits->memfree > 0 || limits->memsuspend > 0;
}

enum throttle_reason throttle_decide(const struct throttle_limits *limits,
				     const struct throttle_reading *reading)
{
	if (limits->load > 0 && reading->running >= 0 && reading->running >= limits->load)
		return THROTTLE_LOAD;
	if (reading->available < 0)
		return THROTTLE_NONE;
	uint64_t available = (uint64_t)reading->available;
	if (limits->memfree > 0 && available < limits->memfree)
		return THROTTLE_MEMFREE;
	/* As GNU parallel: with --memsuspend a start needs both sizes free. */
	if (limits->memsuspend > 0 && available < limits->memsuspend + limits->memfree)
		return THROTTLE_MEMSUSPEND;
	return THROTTLE_NONE;
}

bool throttle_memfree_kills(const struct throttle_limits *limits, const struct throttle_reading *reading)
{
	return limits->memfree > 0 && reading->available >= 0 &&
	       (uint64_t)reading->available < limits->memfree / 2;
}

int throttle_memsuspend_keep(uint64_t size, int64_t available, int jobs)
{
	if (size == 0 || available < 0 || (uint64_t)available >= 2 * size)
		return jobs;
	double share = (double)available / (double)size;
	int keep = share < 1 ? 1 : (int)floor(1 / (2 - share)) + 1;
	return keep < jobs ? keep : jobs;
}

/* ---- parsing ------------------------------------------------------------- */

int throttle_parse_size(const char *text, uint64_t *bytes)
{
	if (!text || !isdigit((unsigned char)*text))
		return -1;
	char *end;
	errno = 0;
	double value = strtod(text, &end);
	if (errno || !isfinite(value) || value < 0)
		return -1;
	static const char binary[] = "KMGTP", decimal[] = "kmgtp";
	double scale = 1;
	if (*end) {
		const char *at;
		if (end[1])
			return -1;
		if ((at = strchr(binary, *end)))
			scale = pow(1024, (double)(at - binary + 1));
		else if ((at = strchr(decimal, *end)))
			scale = pow(1000, (double)(at - decimal + 1));
		else
			return -1;
	}
	double result = value * scale;
	if (result >= 18e18)
		return -1;
	*bytes = (uint64_t)result;
	return 0;
}

int throttle_parse_load(const char *text, int cpus, double *load)
{
	if (!text || !isdigit((unsigned char)*text))
		return -1;
	char *end;
	errno = 0;
	double value = strtod(text, &end);
	if (errno || !isfinite(value) || value < 0 || value > 1e6)
		return -1;
	if (*end == '%' && !end[1])
		value = value * cpus / 100;
	else if (*end)
		return -1;
	*load = value > 0 ? value : 0.01;
	return 0;
}

int throttle_parse_loadavg(const char *text, double *running)
{
	long runnable, total;
	if (sscanf(text, "%*s %*s %*s %ld/%ld", &runnable, &total) != 2 || runnable < 0)
		return -1;
	/* pooltop itself is running while it reads the file. */
	*running = runnable > 0 ? (double)(runnable - 1) : 0;
	return 0;
}

int throttle_parse_meminfo(const char *text, int64_t *available)
{
	uint64_t bytes;
	if (!machine_meminfo_field(text, "MemAvailable", &bytes) || bytes > INT64_MAX)
		return -1;
	*available = (int64_t)bytes;
	return 0;
}

/* The start of a /proc file; -1 when unreadable. */
static int read_small_file(const char *path, char *buffer, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n;
	do
		n = read(fd, buffer, size - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return -1;
	buffer[n] = '\0';
	return 0;
}

int throttle_read_proc(void *data, struct throttle_reading *reading)
{
	(void)data;
	char text[512];
	*reading = (struct throttle_reading){ .running = -1, .available = -1 };
	if (read_small_file("/proc/loadavg", text, sizeof text) == 0)
		throttle_parse_loadavg(text, &reading->running);
	/* MemAvailable is the third line: the first few hundred bytes hold it. */
	if (read_small_file("/proc/meminfo", text, sizeof text) == 0)
		throttle_parse_meminfo(text, &reading->available);
	return reading->running < 0 && reading->available < 0 ? -1 : 0;
}

/* ---- the engine's throttle ----------------------------------------------- */

struct throttle {
	struct pool *pool;
	struct throttle_limits limits;
	throttle_probe_fn *probe;        /* where readings come from */
	void *probe_data;
	struct throttle_reading reading; /* the last one */
	double read_at;                  /* monotonic seconds of the last reading, 0 before */
	enum throttle_reason holding;    /* what held starts at the last reading */
	uint64_t timer;                  /* the next check, 0 when none is due */
};

struct throttle *throttle_new(struct pool *pool, const struct throttle_limits *limits)
{
	struct throttle *throttle = xcalloc(1, sizeof *throttle);
	throttle->pool = pool;
	throttle->limits = *limits;
	throttle->probe = throttle_read_proc;
	return throttle;
}

void throttle_free(struct throttle *throttle)
{
	if (!throttle)
		return;
	loop_del_timer(throttle->pool->loop, throttle->timer);
	free(throttle);
}

void throttle_set_probe(struct throttle *throttle, throttle_probe_fn *fn, void *data)
{
	throttle->probe = fn;
	throttle->probe_data = data;
	throttle->read_at = 0;
}

void throttle_get_limits(const struct throttle *throttle, struct throttle_limits *limits)
{
	*limits = throttle->limits;
}

enum throttle_reason throttle_holding(const struct throttle *throttle)
{
	return throttle_limits_active(&throttle->limits) ? throttle->holding : THROTTLE_NONE;
}

static bool slot_running(const struct slot *slot)
{
	return slot->pid && !slot->reaped && slot->inflight_count > 0;
}

static bool jobs_running(const struct pool *pool)
{
	for (int i = 0; i < pool->nslots; i++)
		if (slot_running(pool->slots[i]))
			return true;
	return false;
}

static void check_due(struct loop *loop, void *data)
{
	(void)loop;
	struct throttle *throttle = data;
	throttle->timer = 0;
	throttle_check(throttle);
}

void throttle_watch(struct throttle *throttle)
{
	if (throttle->timer || !throttle_limits_active(&throttle->limits))
		return;
	bool held = throttle->holding != THROTTLE_NONE && pool_work_left(throttle->pool);
	if (!held && !jobs_running(throttle->pool))
		return;
	throttle->timer = loop_add_timer(throttle->pool->loop, THROTTLE_INTERVAL, check_due, throttle);
}

/* Read the machine and decide; every change of the decision is logged. */
static void throttle_read(struct throttle *throttle)
{
	if (throttle->probe(throttle->probe_data, &throttle->reading))
		throttle->reading = (struct throttle_reading){ .running = -1, .available = -1 };
	throttle->read_at = loop_now();
	enum throttle_reason was = throttle->holding;
	throttle->holding = throttle_decide(&throttle->limits, &throttle->reading);
	if (throttle->holding == was)
		return;
	const struct throttle_limits *limits = &throttle->limits;
	const struct throttle_reading *reading = &throttle->reading;
	if (throttle->holding == THROTTLE_LOAD)
		log_debug("throttle: no new job: %.0f threads running, --load %.2f", reading->running, limits->load);
	else if (throttle->holding != THROTTLE_NONE)
		log_debug("throttle: no new job: %" PRId64 " bytes available, --%s %" PRIu64,
			  reading->available, throttle_reason_name(throttle->holding),
			  throttle->holding == THROTTLE_MEMFREE ? limits->memfree
								: limits->memsuspend + limits->memfree);
	else
		log_debug("throttle: jobs may start again (%s; %.0f threads running, %" PRId64
			  " bytes available)", throttle_reason_name(was), reading->running, reading->available);
}

bool throttle_allows_start(struct throttle *throttle)
{
	if (!throttle_limits_active(&throttle->limits))
		return true;
	if (!throttle->read_at || loop_now() - throttle->read_at >= THROTTLE_INTERVAL)
		throttle_read(throttle);
	throttle_watch(throttle);
	return throttle->holding == THROTTLE_NONE;
}

/* The running slots, oldest item first. */
static int running_by_age(const struct pool *pool, struct slot **out)
{
	int count = 0;
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		if (!slot_running(slot) || slot->killing)
			continue;
		int at = count++;
		while (at > 0 && slot_oldest(out[at - 1])->started > slot_oldest(slot)->started) {
			out[at] = out[at - 1];
			at--;
		}
		out[at] = slot;
	}
	return count;
}

/* --memfree: below half of it, the youngest job is killed (TERM, KILL
 * after --grace) and its item goes back to the queue; one at a time. */
static void kill_youngest(struct throttle *throttle, struct slot **running, int count)
{
	struct pool *pool = throttle->pool;
	for (int i = 0; i < pool->nslots; i++)
		if (pool->slots[i]->requeue && pool->slots[i]->killing && !pool->slots[i]->reaped)
			return;  /* the last one killed is still going */
	if (!count)
		return;
	struct slot *youngest = running[count - 1];
	log_debug("throttle: %" PRId64 " bytes available, under half of --memfree %" PRIu64
		  ": slot %d (pid %d) killed, item %" PRIu64 " requeued", throttle->reading.available,
		  throttle->limits.memfree, youngest->number, (int)youngest->pid, slot_oldest(youngest)->seq);
	youngest->requeue = true;
	slot_terminate(youngest);
}

/* --memsuspend: the oldest jobs that fit run, the younger ones are
 * stopped; with memory to spare, one stopped job resumes per check.  A
 * pool the user suspended is left alone. */
static void suspend_or_resume(struct throttle *throttle, struct slot **running, int count)
{
	struct pool *pool = throttle->pool;
	if (pool->suspended || throttle->reading.available < 0)
		return;
	uint64_t size = throttle->limits.memsuspend;
	int64_t available = throttle->reading.available;
	if ((uint64_t)available >= 2 * size) {
		for (int i = 0; i < count; i++) {
			if (!running[i]->suspended)
				continue;
			log_debug("throttle: %" PRId64 " bytes available, --memsuspend %" PRIu64
				  ": slot %d (pid %d) resumed", available, size, running[i]->number,
				  (int)running[i]->pid);
			slot_signal(running[i], SIGCONT);
			return;
		}
		return;
	}
	int keep = throttle_memsuspend_keep(size, available, count);
	for (int i = 0; i < count; i++) {
		struct slot *slot = running[i];
		bool stop = i >= keep;
		if (stop == slot->suspended)
			continue;
		log_debug("throttle: %" PRId64 " bytes available, --memsuspend %" PRIu64 ": slot %d (pid %d) %s",
			  available, size, slot->number, (int)slot->pid, stop ? "suspended" : "resumed");
		slot_signal(slot, stop ? SIGSTOP : SIGCONT);
	}
}

/* Jobs this throttle stopped run again (the limit was lifted). */
static void resume_all(struct throttle *throttle)
{
	struct pool *pool = throttle->pool;
	if (pool->suspended)
		return;
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		if (slot->suspended && slot_running(slot)) {
			log_debug("throttle: slot %d (pid %d) resumed: --memsuspend is off", slot->number,
				  (int)slot->pid);
			slot_signal(slot, SIGCONT);
		}
	}
}

void throttle_check(struct throttle *throttle)
{
	struct pool *pool = throttle->pool;
	enum throttle_reason was = throttle_holding(throttle);
	if (throttle_limits_active(&throttle->limits)) {
		throttle_read(throttle);
		struct slot **running = xcalloc((size_t)pool->nslots + 1, sizeof *running);
		int count = running_by_age(pool, running);
		if (throttle_memfree_kills(&throttle->limits, &throttle->reading))
			kill_youngest(throttle, running, count);
		if (throttle->limits.memsuspend)
			suspend_or_resume(throttle, running, count);
		free(running);
		throttle_watch(throttle);
	}
	if (was != THROTTLE_NONE && throttle_holding(throttle) == THROTTLE_NONE)
		pool_dispatch(pool);
}

void throttle_set_limits(struct throttle *throttle, const struct throttle_limits *limits)
{
	bool suspending = throttle->limits.memsuspend > 0;
	throttle->limits = *limits;
	log_debug("throttle: limits now --load %.2f, --memfree %" PRIu64 ", --memsuspend %" PRIu64,
		  limits->load, limits->memfree, limits->memsuspend);
	if (suspending && !limits->memsuspend)
		resume_all(throttle);
	if (!throttle_limits_active(limits)) {
		throttle->holding = THROTTLE_NONE;
		loop_del_timer(throttle->pool->loop, throttle->timer);
		throttle->timer = 0;
		return;
	}
	throttle_read(throttle);
	throttle_watch(throttle);
}
