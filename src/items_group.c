/* items_group.c - joining items into jobs of several arguments: up to N
 * items (-n, -N, -L), or as many as fit a command line (-m, -X), measured
 * with the command template.  One group is held at a time. */
#include "items_group.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "template.h"
#include "xalloc.h"

/* One growing buffer: the group being built, or an item held back. */
struct text_buffer {
	char *text;
	size_t length;
	size_t capacity;
};

struct group {
	struct items *inner;              /* the source of single items, owned */
	struct items_group_config config;
	struct text_buffer current;       /* the group being built: arguments separated by NUL */
	int count;                        /* arguments in it */
	size_t command_length;            /* the command it makes, at most */
	struct text_buffer held;          /* an item that did not fit the last group */
	bool has_held;
	bool handed_out;                  /* current was returned: start afresh next time */
	bool inner_ended;                 /* inner said ITEMS_END */
	bool cut_by_length;               /* a group held fewer than max_args for its length */
	int64_t groups;                   /* groups returned */
	char error[256];                  /* why the source failed, or "" */
};

static void buffer_append(struct text_buffer *buffer, const char *text, size_t length, bool separated)
{
	size_t needed = buffer->length + separated + length + 1;

	if (needed > buffer->capacity) {
		size_t capacity = buffer->capacity ? buffer->capacity : 256;

		while (capacity < needed)
			capacity = capacity > SIZE_MAX / 2 ? needed : capacity * 2;
		buffer->text = xreallocarray(buffer->text, capacity, 1);
		buffer->capacity = capacity;
	}
	if (separated)
		buffer->text[buffer->length++] = ITEMS_ARG_SEPARATOR;
	memcpy(buffer->text + buffer->length, text, length);
	buffer->length += length;
	buffer->text[buffer->length] = '\0';
}

static void group_add(struct group *group, const char *text, size_t length)
{
	const struct template *template = group->config.template;

	if (template && group->config.max_length && template_extra_length_holds(template)) {
		uint64_t seq = (uint64_t)group->groups + 1;
		group->command_length = group->count == 0 ? template_length(template, text, length, seq)
			: group->command_length + template_extra_length(template, text, length, seq);
	}
	buffer_append(&group->current, text, length, group->count > 0);
	group->count++;
}

/* Whether one more argument would make the command too long.  Usually
 * the growth is bounded argument by argument; for the rare template where
 * it is not (-X with {-1} in the repeated word), the whole command is
 * measured again. */
static bool group_would_overflow(struct group *group, const char *text, size_t length)
{
	const struct template *template = group->config.template;
	uint64_t seq = (uint64_t)group->groups + 1;
	size_t before = group->current.length, measured;

	if (group->count == 0 || !group->config.max_length || !template)
		return false;
	if (template_extra_length_holds(template))
		return group->command_length + template_extra_length(template, text, length, seq) >
			group->config.max_length;
	buffer_append(&group->current, text, length, true);
	measured = template_length(template, group->current.text, group->current.length, seq);
	group->current.length = before;
	group->current.text[before] = '\0';
	return measured > group->config.max_length;
}

static enum items_status group_hand_out(struct group *group, const char **text, size_t *len)
{
	*text = group->current.text;
	*len = group->current.length;
	group->handed_out = true;
	group->groups++;
	return ITEMS_READY;
}

static enum items_status group_next(void *state, const char **text, size_t *len)
{
	struct group *group = state;

	if (group->error[0])
		return ITEMS_ERROR;
	if (group->handed_out) {
		group->handed_out = false;
		group->current.length = 0;
		group->count = 0;
		if (group->has_held) {
			group->has_held = false;
			group_add(group, group->held.text, group->held.length);
		}
	}
	while (!group->config.max_args || group->count < group->config.max_args) {
		const char *item;
		size_t length;
		enum items_status status = group->inner_ended ? ITEMS_END : items_next(group->inner, &item, &length);

		if (status == ITEMS_END)
			group->inner_ended = true;
		if (status == ITEMS_END && group->count == 0)
			return ITEMS_END;
		if (status == ITEMS_END)
			break;
		if (status != ITEMS_READY)
			return status;  /* a partial group waits for more */
		if (memchr(item, ITEMS_ARG_SEPARATOR, length)) {
			snprintf(group->error, sizeof group->error,
				 "-n, -N, -L, -m and -X take items of one argument: with several input "
				 "sources, which arguments would make a job is unclear; give one source");
			errno = EINVAL;
			return ITEMS_ERROR;
		}
		if (group_would_overflow(group, item, length)) {
			group->held.length = 0;
			buffer_append(&group->held, item, length, false);
			group->has_held = true;
			group->cut_by_length |= group->config.max_args != 0;
			break;
		}
		group_add(group, item, length);
	}
	return group_hand_out(group, text, len);
}

static int group_fd(const void *state)
{
	const struct group *group = state;

	return group->inner_ended ? -1 : items_fd(group->inner);
}

/* Known once everything is handed out; before that, for whole groups
 * of N from a source of known size, as long as no group was cut short by
 * the line length. */
static int64_t group_total(const void *state)
{
	const struct group *group = state;
	int64_t inner_total = items_total(group->inner);

	if (group->inner_ended && !group->has_held && (group->handed_out || group->count == 0))
		return group->groups;
	if (inner_total < 0 || !group->config.max_args || group->cut_by_length)
		return -1;
	return (inner_total + group->config.max_args - 1) / group->config.max_args;
}

static int group_error(const void *state, char *error, size_t size)
{
	const struct group *group = state;

	if (!group->error[0])
		return items_error(group->inner, error, size);
	snprintf(error, size, "%s", group->error);
	return -1;
}

static uint64_t group_take_nul_warning(void *state)
{
	struct group *group = state;

	return items_take_nul_warning(group->inner);
}

static void group_free(void *state)
{
	struct group *group = state;

	items_free(group->inner);
	free(group->current.text);
	free(group->held.text);
	free(group);
}

static const struct items_ops group_ops = {
	.next = group_next,
	.fd = group_fd,
	.total = group_total,
	.error = group_error,
	.take_nul_warning = group_take_nul_warning,
	.free = group_free,
};

struct items *items_group_new(struct items *inner, const struct items_group_config *config)
{
	struct group *group = xcalloc(1, sizeof(*group));

	group->inner = inner;
	group->config = *config;
	return items_from_ops(&group_ops, group);
}

size_t items_group_system_limit(void)
{
	long arg_max = sysconf(_SC_ARG_MAX);
	size_t environment = 0;

	if (arg_max <= 0)
		arg_max = 131072;
	for (char **variable = environ; variable && *variable; variable++)
		environment += strlen(*variable) + 1 + sizeof(char *);
	if ((size_t)arg_max <= environment + 2048 + 4096)
		return 4096;
	return (size_t)arg_max - environment - 2048;
}

size_t items_group_default_limit(void)
{
	size_t system = items_group_system_limit();

	return system < 131072 ? system : 131072;
}
