/* fuzz_control.c - libFuzzer target for the control protocol: lines split
 * as the control socket splits them, run by control_run() against a real
 * pool that has no items (so no verb can start a process), must each get
 * one reply line, "ok ..." or "error ...", that fits the reply buffer,
 * and leave the worker count within its bounds.
 *
 * Built and run by `make fuzz` in a tree configured with
 *   ./configure CC=clang --enable-fuzzing
 * (the corpus grows in tests/fuzz/corpus-control of the build tree).
 *
 * Input: one byte choosing the reply buffer's size, then the bytes a
 * client sends.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "control.h"
#include "items.h"
#include "loop.h"
#include "pool.h"
#include "template.h"

#define MIN_JOBS 1
#define MAX_JOBS 8

static bool autotune_on;

static void hook_autotune(void *data, bool on)
{
	(void)data;
	autotune_on = on;
}

static bool hook_autotune_enabled(void *data)
{
	(void)data;
	return autotune_on;
}

static void hook_quit(void *data, bool kill)
{
	(void)data;
	(void)kill;
}

static void run_line(struct control *control, const char *line, size_t reply_size)
{
	char reply[1024 + 1];
	memset(reply, 'x', sizeof reply);
	reply[reply_size] = '#';  /* nothing may be written past the size given */
	int status = control_run(control, line, reply, reply_size);
	require(reply[reply_size] == '#');
	require(memchr(reply, '\0', reply_size));
	require(!strchr(reply, '\n'));
	if (reply_size >= sizeof "error ") {
		if (status == 0 || status == CONTROL_WATCH)  /* watch: ok, then objects */
			require(!strncmp(reply, "ok", 2));
		else
			require(status == -1 && !strncmp(reply, "error ", 6));
	}
	int target = pool_target(control->pool);
	require(target >= MIN_JOBS && target <= MAX_JOBS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char true_word[] = "true";
	static char *command[] = { true_word, NULL };
	if (size < 1)
		return 0;
	size_t reply_size = 1 + data[0] % 1024;
	struct loop *loop = loop_new();
	struct items *items = items_from_array(NULL, 0);
	struct template *template = template_new(command, 1, false);
	struct pool_config config = {
		.kind = POOL_COMMAND,
		.template = template,
		.jobs = 2,
		.min_jobs = MIN_JOBS,
		.max_jobs = MAX_JOBS,
		.shrink = SHRINK_GRACEFUL,
		.grace = 1,
		.inflight = 1,
	};
	struct pool_events events = { 0 };
	struct pool *pool = pool_new(&config, loop, items, &events);
	require(pool);
	pool_set_paused(pool, true);
	pool_resize(pool, 2, SHRINK_GRACEFUL, NULL);
	struct control control = {
		.pool = pool,
		.hooks = { .quit = hook_quit, .autotune = hook_autotune,
			   .autotune_enabled = hook_autotune_enabled },
	};
	autotune_on = false;

	/* Lines as the socket cuts them: at each newline, a carriage return
	 * before it dropped, at most CONTROL_MAX_LINE - 1 bytes. */
	const char *cursor = (const char *)data + 1;
	size_t left = size - 1;
	char line[CONTROL_MAX_LINE];
	while (left) {
		const char *newline = memchr(cursor, '\n', left);
		size_t length = newline ? (size_t)(newline - cursor) : left;
		size_t kept = length < sizeof line - 1 ? length : sizeof line - 1;
		if (kept && cursor[kept - 1] == '\r')
			kept--;
		memcpy(line, cursor, kept);
		line[kept] = '\0';
		run_line(&control, line, reply_size);
		if (!newline)
			break;
		cursor = newline + 1;
		left -= length + 1;
	}
	pool_free(pool);
	template_free(template);
	items_free(items);
	loop_free(loop);
	return 0;
}
