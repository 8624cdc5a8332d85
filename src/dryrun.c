/* dryrun.c - the --dry-run slot kind: each item's command is printed,
 * shell-quoted as GNU parallel prints it, and nothing runs.  start() ends
 * the attempt at once with the command line as the item's output. */
#include <stdlib.h>
#include <string.h>

#include "dryrun.h"
#include "slot.h"
#include "template.h"
#include "xalloc.h"

/* Characters a shell reads as themselves, as GNU parallel decides. */
static bool dryrun_word_is_plain(const char *word)
{
	for (const char *cursor = word; *cursor; cursor++) {
		char c = *cursor;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("-_.+/", c)))
			return false;
	}
	return *word != '\0';
}

/* Append word to out (room for 5 * its length + 3 bytes) quoted as GNU
 * parallel quotes: in single quotes, a quote as '"'"', no empty '' at
 * either end.  Returns the bytes written. */
static size_t dryrun_quote(char *out, const char *word)
{
	char *cursor = out;
	if (dryrun_word_is_plain(word)) {
		size_t len = strlen(word);
		memcpy(out, word, len);
		return len;
	}
	if (!*word) {
		memcpy(out, "''", 2);
		return 2;
	}
	bool open = false;
	for (const char *c = word; *c; c++) {
		if (*c == '\'') {
			if (open)
				*cursor++ = '\'';
			open = false;
			memcpy(cursor, "\"'\"", 3);
			cursor += 3;
			continue;
		}
		if (!open)
			*cursor++ = '\'';
		open = true;
		*cursor++ = *c;
	}
	if (open)
		*cursor++ = '\'';
	return (size_t)(cursor - out);
}

/* The command line a shell would run as the job: the words quoted, or a
 * shell job's script as it is. */
char *dryrun_command_line(char *const *argv)
{
	if (argv[0] && argv[1] && argv[2] && !argv[3] && !strcmp(argv[0], "sh") && !strcmp(argv[1], "-c")) {
		size_t len = strlen(argv[2]);
		char *line = xmalloc(len + 2);
		memcpy(line, argv[2], len);
		memcpy(line + len, "\n", 2);
		return line;
	}
	size_t size = 2;
	for (size_t i = 0; argv[i]; i++)
		size += 5 * strlen(argv[i]) + 3;
	char *line = xmalloc(size), *cursor = line;
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			*cursor++ = ' ';
		cursor += dryrun_quote(cursor, argv[i]);
	}
	memcpy(cursor, "\n", 2);
	return line;
}

/* The commands wait while the output is behind its reader, as jobs'
 * output does: a dry run of endless input never piles up. */
static int dryrun_accepts_more(const struct slot *slot)
{
	return !slot->inflight_count && !slot->pool->output_paused;
}

static void dryrun_start(struct slot *slot, struct pending *item)
{
	struct pool *pool = slot->pool;
	free(slot->argv);
	slot->argv = template_argv(pool->config.template, item->text, item->len, item->seq, slot->number);
	char *line = dryrun_command_line(slot->argv);
	spool_append(&slot->out, line, strlen(line));
	free(line);
	pool_finish_attempt(slot, item, 0, NULL);
}

/* A dry-run slot never holds a process or an item between calls: the
 * operations on running work have nothing to act on. */
static void dryrun_output(struct slot *slot, int stream, const char *data, size_t len)
{
	(void)slot, (void)stream, (void)data, (void)len;
}

static bool dryrun_exited(struct slot *slot, int status)
{
	(void)status;
	return !slot->retiring;
}

static void dryrun_nothing_running(struct slot *slot)
{
	(void)slot;
}

static void dryrun_abort(struct slot *slot, const char *why)
{
	(void)slot, (void)why;
}

static void dryrun_signal(struct slot *slot, int signo)
{
	(void)slot, (void)signo;
}

static char *dryrun_command(const struct slot *slot)
{
	(void)slot;
	return NULL;
}

const struct slot_kind dryrun_slot_kind = {
	.name = "dry-run",
	.accepts_more = dryrun_accepts_more,
	.start = dryrun_start,
	.output = dryrun_output,
	.exited = dryrun_exited,
	.timeout = dryrun_nothing_running,
	.abort = dryrun_abort,
	.signal = dryrun_signal,
	.command = dryrun_command,
};
