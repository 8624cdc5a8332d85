/* demo.c - the seed workload with no external script: pooltop re-executes
 * itself as the worker, and prints what Pool(3).map(func, range(10))
 * prints: who ran each item, the list of results, the total time. */
#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

/* Results kept for the final list; beyond this the list is cut short. */
#define DEMO_LIST_MAX 1000

struct demo {
	struct output *output;
	char **results;          /* result text by seq - 1 */
	uint64_t count;          /* highest seq seen */
};

int demo_worker_main(void)
{
	char line[256];
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof line, stdin)) {
		char *end;
		errno = 0;
		long long x = strtoll(line, &end, 10);
		if (errno || end == line || (*end && *end != '\n') || x > 3037000499LL || x < -3037000499LL) {
			printf("error: not a small integer\n");
			continue;
		}
		/* The work itself: one second, as in the seed's func. */
		struct timespec second = { 1, 0 };
		while (nanosleep(&second, &second) && errno == EINTR)
			;
		printf("%lld\n", x * x);
	}
	return 0;
}

char *const *demo_worker_argv(void)
{
	static char exe[] = "/proc/self/exe", flag[] = DEMO_WORKER_FLAG;
	static char *argv[] = { exe, flag, NULL };
	return argv;
}

struct demo *demo_new(struct output *output)
{
	struct demo *demo = xcalloc(1, sizeof *demo);
	demo->output = output;
	demo->results = xcalloc(DEMO_LIST_MAX, sizeof *demo->results);
	return demo;
}

/* The first line of spool into text (size bytes), without its newline;
 * returns its length. */
static size_t first_line(const struct spool *spool, char *text, size_t size)
{
	size_t len = spool_peek(spool, text, size);
	char *newline = memchr(text, '\n', len);
	if (newline) {
		*newline = '\0';
		len = (size_t)(newline - text);
	}
	return len;
}

void demo_result(struct demo *demo, const struct pool_result *result)
{
	if (result->will_retry)
		return;
	char value[64], line[256];
	if (result->failed)
		snprintf(value, sizeof value, "failed");
	else
		first_line(result->out, value, sizeof value);
	int n = snprintf(line, sizeof line, "item %s -> %s  (pid %d)\n", result->item, value,
			 (int)result->pid);
	output_text(demo->output, line, n > 0 && (size_t)n < sizeof line ? (size_t)n : strlen(line));
	if (result->seq <= DEMO_LIST_MAX)
		demo->results[result->seq - 1] = xstrdup(value);
	if (result->seq > demo->count)
		demo->count = result->seq;
}

void demo_finish(struct demo *demo, double elapsed)
{
	char text[64];
	output_text(demo->output, "[", 1);
	uint64_t shown = demo->count < DEMO_LIST_MAX ? demo->count : DEMO_LIST_MAX;
	for (uint64_t i = 0; i < shown; i++) {
		const char *value = demo->results[i] ? demo->results[i] : "None";
		if (i)
			output_text(demo->output, ", ", 2);
		output_text(demo->output, value, strlen(value));
	}
	if (demo->count > shown)
		output_text(demo->output, ", ...", 5);
	output_text(demo->output, "]\n", 2);
	int n = snprintf(text, sizeof text, "total time: %.2f s\n", elapsed);
	output_text(demo->output, text, (size_t)n);
}

void demo_free(struct demo *demo)
{
	if (!demo)
		return;
	for (size_t i = 0; i < DEMO_LIST_MAX; i++)
		free(demo->results[i]);
	free(demo->results);
	free(demo);
}
