/* sources.c - GNU parallel's input sources combined into one stream of
 * items: the first source (or the first group of linked ones) is read as
 * the pool asks, the others are read whole at the start and held, and
 * each combination becomes one item of NUL-separated arguments. */
#include "sources.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "columns.h"
#include "header_names.h"
#include "xalloc.h"

/* Every item of a source read whole, each already cut into columns. */
struct held {
	struct columns_out bytes;   /* the items' arguments, one after the other */
	struct held_entry {
		size_t offset;          /* where the item starts in bytes */
		size_t length;          /* its length */
	} *entries;
	size_t count;               /* items held */
	size_t capacity;            /* entries allocated */
};

struct member {
	const struct source_spec *spec; /* what the user gave, for messages */
	struct items *items;        /* the source while it is read, else NULL */
	bool streamed;              /* read as the pool asks, not held */
	struct columns_out current; /* streamed: the current item, in columns */
	bool has_current;           /* current holds an item not yet combined */
	uint64_t count;             /* items read, the header not counted */
	bool gave_empty;            /* empty, it gave one empty argument */
	bool ended;                 /* no more items */
	bool header_read;           /* its first line was the header */
	uint64_t nul_warning;       /* a held source's item cut at a NUL, 0 if none */
	struct held held;           /* held: every item */
};

struct group {
	int first;      /* index of its first member */
	int count;      /* members, paired item by item */
	uint64_t rows;  /* held groups: the pairs they give (the shortest member) */
	uint64_t row;   /* the row the next combination takes */
};

struct sources {
	struct member members[SOURCES_MAX];
	int member_count;
	struct group groups[SOURCES_MAX];
	int group_count;
	bool link;                     /* --link: one group whose members wrap */
	struct held link_memory;       /* --link: the first member's items, while
	                                  another member is longer and it may wrap */
	uint64_t link_row;             /* --link: the row the next item takes */
	uint64_t link_longest_held;    /* --link: the longest held member */
	struct columns_regex *colsep;  /* --colsep (or --header's tab), or NULL */
	enum trim_mode trim;
	bool shape;                    /* items are cut into columns or trimmed */
	struct header_names *names;    /* --header: the columns' names */
	size_t held_bytes, held_limit; /* what the held members use, and may */
	bool shuffle;
	bool stdin_taken;              /* standard input is one of the sources */
	struct member *failed;         /* the member whose read failed */
	struct columns_out out;        /* the item handed out last */
};

/* ---- checking and opening ------------------------------------------------- */

static bool is_header_regex(const char *header)
{
	/* ':' is parallel's short form of '.*\n', and 1 one line: no match to check. */
	return header && strcmp(header, ":") && strcmp(header, "1");
}

int sources_check_config(const struct sources_config *config, char *error, size_t size)
{
	enum trim_mode trim;
	struct columns_regex *regex;

	if (config->trim && columns_parse_trim(config->trim, &trim) < 0) {
		snprintf(error, size, "invalid --trim '%s': give n, l, r, lr or rl", config->trim);
		return -1;
	}
	if (config->colsep) {
		char why[256];
		if (!(regex = columns_regex_new(config->colsep, why, sizeof why))) {
			snprintf(error, size, "invalid --colsep: %s", why);
			return -1;
		}
		columns_regex_free(regex);
	}
	if (config->header && config->header[0] >= '0' && config->header[0] <= '9' &&
	    strspn(config->header, "0123456789") == strlen(config->header) && strcmp(config->header, "1")) {
		snprintf(error, size, "invalid --header '%s': pooltop reads one header line per source "
			 "(--header : or a regular expression matching it)", config->header);
		return -1;
	}
	if (is_header_regex(config->header)) {
		char why[256];
		if (!(regex = columns_regex_new(config->header, why, sizeof why))) {
			snprintf(error, size, "invalid --header: %s", why);
			return -1;
		}
		columns_regex_free(regex);
	}
	return 0;
}

/* Pooltop's own copy of standard input, with /dev/null in its place for
 * the jobs.  -1 with a message when it cannot be read. */
static int take_stdin(bool explicit_dash, char *error, size_t size)
{
	if (isatty(0)) {
		snprintf(error, size, explicit_dash ? "standard input ('-') is a terminal: pipe the items into it"
			 : "no items: pipe them into standard input, or give -a FILE, --range=A..B or ::: ITEM...");
		return -1;
	}
	int fd = fcntl(0, F_DUPFD_CLOEXEC, 3);
	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	bool moved = fd >= 0 && null_fd >= 0 && dup2(null_fd, 0) == 0;
	int saved = errno;
	if (null_fd >= 0)
		close(null_fd);
	if (!moved) {
		if (fd >= 0)
			close(fd);
		snprintf(error, size, "cannot set up standard input: %s", strerror(saved));
		return -1;
	}
	return fd;
}

int sources_open_fd(const char *path, char *error, size_t size)
{
	if (!path || !strcmp(path, "-"))
		return take_stdin(path != NULL, error, size);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		snprintf(error, size, "cannot read '%s': %s", path, strerror(errno));
	return fd;
}

/* path "-" is standard input, and so is NULL (no source given). */
static struct items *open_file(struct sources *sources, const struct sources_config *config,
			       const char *path, char *error, size_t size)
{
	bool dash = path && !strcmp(path, "-");
	int fd;

	if (dash || !path) {
		if (sources->stdin_taken) {
			snprintf(error, size, "standard input can be only one of the input sources");
			return NULL;
		}
		if ((fd = take_stdin(dash, error, size)) < 0)
			return NULL;
		sources->stdin_taken = true;
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(error, size, "cannot read items from '%s': %s", path, strerror(errno));
		return NULL;
	}
	struct items *items = items_from_fd(fd, config->delimiter, true);
	if (!items) {
		snprintf(error, size, "cannot read items from %s%s%s: %s", path && !dash ? "'" : "",
			 path && !dash ? path : "standard input", path && !dash ? "'" : "", strerror(errno));
		close(fd);
		return NULL;
	}
	items_set_max_length(items, config->max_length);
	return items;
}

static struct items *open_member(struct sources *sources, const struct sources_config *config,
				 const struct source_spec *spec, char *error, size_t size)
{
	switch (spec->type) {
	case SOURCE_WORDS:
		return items_from_array(spec->words, spec->word_count);
	case SOURCE_RANGE:
		return items_from_range(spec->first, spec->last, spec->step);
	default:
		return open_file(sources, config, spec->path, error, size);
	}
}

/* The next item, waiting for it if need be.  Only used before any job
 * runs: a SIGINT, SIGTERM or SIGHUP while waiting ends pooltop at once,
 * as it would have before pooltop took them over. */
static enum items_status next_waiting(struct items *items, const char **text, size_t *len)
{
	for (;;) {
		enum items_status status = items_next(items, text, len);
		if (status != ITEMS_WAIT)
			return status;
		sigset_t mask;
		sigprocmask(SIG_SETMASK, NULL, &mask);
		sigdelset(&mask, SIGINT);
		sigdelset(&mask, SIGTERM);
		sigdelset(&mask, SIGHUP);
		struct pollfd wait = { .fd = items_fd(items), .events = POLLIN };
		if (ppoll(&wait, 1, NULL, &mask) < 0 && errno != EINTR)
			return ITEMS_ERROR;
	}
}

/* The name of a member for messages. */
static void describe(const struct member *member, char *text, size_t size)
{
	const struct source_spec *spec = member->spec;
	if (!spec || (spec->type == SOURCE_FILE && !strcmp(spec->path, "-")))
		snprintf(text, size, "standard input");
	else if (spec->type == SOURCE_FILE)
		snprintf(text, size, "'%s'", spec->path);
	else if (spec->type == SOURCE_RANGE)
		snprintf(text, size, "--range");
	else
		snprintf(text, size, "the ::: words");
}

static void read_failed(const struct member *member, char *error, size_t size)
{
	char name[300], why[400];
	describe(member, name, sizeof name);
	if (!items_error(member->items, why, sizeof why))
		snprintf(why, sizeof why, "%s", strerror(errno));
	snprintf(error, size, "%s: %s", name, why);
}

/* ---- columns and headers ---------------------------------------------------- */

/* An item of a source as arguments: cut into columns, or whole. */
static void shape(const struct sources *sources, const char *text, size_t len, struct columns_out *out)
{
	if (sources->shape)
		columns_split(sources->colsep, sources->trim, text, len, out);
	else
		columns_out_append(out, text, len);
}

/* --header: the member's first line names its columns; with a regular
 * expression it must match that line (with its newline). */
static int read_header(struct sources *sources, struct member *member, const struct columns_regex *regex,
		       const char *header, int *position, char *error, size_t size)
{
	const char *text;
	size_t len;
	enum items_status status = next_waiting(member->items, &text, &len);

	if (status == ITEMS_END)
		return 0;
	if (status != ITEMS_READY) {
		read_failed(member, error, size);
		return -1;
	}
	member->header_read = true;
	if (regex) {
		char *line = xmalloc(len + 2);
		memcpy(line, text, len);
		line[len] = '\n';
		line[len + 1] = '\0';
		bool matches = columns_regex_matches_at_start(regex, line, len + 1);
		free(line);
		if (!matches) {
			char name[300];
			describe(member, name, sizeof name);
			snprintf(error, size, "the first line of %s does not match --header '%s'", name, header);
			return -1;
		}
	}
	struct columns_out columns = { 0 };
	shape(sources, text, len, &columns);
	*position = header_names_add(sources->names, columns.bytes, columns.len, *position);
	free(columns.bytes);
	return 0;
}

static int read_headers(struct sources *sources, const char *header, char *error, size_t size)
{
	struct columns_regex *regex = NULL;
	int position = 0, status = 0;

	sources->names = header_names_new();
	if (is_header_regex(header) && !(regex = columns_regex_new(header, error, size)))
		return -1;
	for (int index = 0; index < sources->member_count && !status; index++)
		status = read_header(sources, &sources->members[index], regex, header, &position, error, size);
	columns_regex_free(regex);
	return status;
}

/* ---- held sources ----------------------------------------------------------- */

static int held_add(struct sources *sources, struct held *held, const char *text, size_t len)
{
	size_t cost = len + 1 + SOURCES_HELD_ITEM_COST;

	if (sources->held_bytes + cost > sources->held_limit)
		return -1;
	sources->held_bytes += cost;
	if (held->count == held->capacity)
		xgrow(&held->entries, &held->capacity, held->count + 1, sizeof *held->entries);
	held->entries[held->count++] = (struct held_entry){ .offset = held->bytes.len, .length = len };
	columns_out_append(&held->bytes, text, len);
	return 0;
}

static void held_get(const struct held *held, uint64_t index, const char **text, size_t *len)
{
	const struct held_entry *entry = &held->entries[index];
	*text = held->bytes.bytes + entry->offset;
	*len = entry->length;
}

static void held_free(struct held *held)
{
	free(held->bytes.bytes);
	free(held->entries);
}

static int held_too_big(const struct sources *sources, const struct member *member, char *error, size_t size)
{
	char name[300];
	describe(member, name, sizeof name);
	snprintf(error, size, "%s is too big to hold: the sources after the first are held in memory, "
		 "at most %zu MiB in all (give the biggest source first)", name, sources->held_limit >> 20);
	return -1;
}

/* Reads a member whole, each item cut into columns; an empty one holds one
 * empty argument, as parallel gives. */
static int load_member(struct sources *sources, struct member *member, char *error, size_t size)
{
	struct columns_out shaped = { 0 };
	const char *text;
	size_t len;
	enum items_status status;
	int result = 0;

	while ((status = next_waiting(member->items, &text, &len)) == ITEMS_READY) {
		shaped.len = 0;
		shape(sources, text, len, &shaped);
		if (held_add(sources, &member->held, shaped.bytes, shaped.len) < 0) {
			result = held_too_big(sources, member, error, size);
			break;
		}
	}
	if (!result && status == ITEMS_ERROR) {
		read_failed(member, error, size);
		result = -1;
	}
	if (!result && member->held.count == 0) {
		shaped.len = 0;
		shape(sources, "", 0, &shaped);
		if (held_add(sources, &member->held, shaped.bytes, shaped.len) < 0)
			result = held_too_big(sources, member, error, size);
	}
	free(shaped.bytes);
	member->nul_warning = items_take_nul_warning(member->items);
	items_free(member->items);
	member->items = NULL;
	member->ended = true;
	return result;
}

/* ---- combining ---------------------------------------------------------------- */

/* Reads a streamed member's next item into current. */
static enum items_status read_member(struct sources *sources, struct member *member)
{
	const char *text;
	size_t len;
	enum items_status status = items_next(member->items, &text, &len);

	if (status == ITEMS_END && member->count == 0 && !member->gave_empty && sources->member_count > 1) {
		/* As parallel: among several sources, an empty one is one empty argument. */
		member->gave_empty = true;
		text = "";
		len = 0;
		status = ITEMS_READY;
	} else if (status == ITEMS_READY) {
		member->count++;
	}
	if (status == ITEMS_READY) {
		member->current.len = 0;
		shape(sources, text, len, &member->current);
		member->has_current = true;
	} else if (status == ITEMS_END) {
		member->ended = true;
	} else if (status == ITEMS_ERROR) {
		sources->failed = member;
	}
	return status;
}

/* The first group's next row: an item from each of its members. */
static enum items_status read_first_row(struct sources *sources)
{
	const struct group *group = &sources->groups[0];

	for (int index = group->first; index < group->first + group->count; index++) {
		struct member *member = &sources->members[index];
		if (member->has_current)
			continue;
		if (member->ended)
			return ITEMS_END;
		enum items_status status = read_member(sources, member);
		if (status != ITEMS_READY)
			return status;
	}
	return ITEMS_READY;
}

static void append_argument(struct sources *sources, const char *text, size_t len, bool *first)
{
	if (!*first)
		columns_out_separate(&sources->out);
	*first = false;
	columns_out_append(&sources->out, text, len);
}

/* After a combination: the last group moves on, carrying into the ones
 * before it; past the end of the second, the first group's next row. */
static void advance(struct sources *sources)
{
	for (int index = sources->group_count - 1; index >= 1; index--) {
		struct group *group = &sources->groups[index];
		if (++group->row < group->rows)
			return;
		group->row = 0;
	}
	const struct group *first = &sources->groups[0];
	for (int index = first->first; index < first->first + first->count; index++)
		sources->members[index].has_current = false;
}

static enum items_status combine_next(struct sources *sources, const char **text, size_t *len)
{
	enum items_status status = read_first_row(sources);
	bool first = true;

	if (status != ITEMS_READY)
		return status;
	sources->out.len = 0;
	for (int group_index = 0; group_index < sources->group_count; group_index++) {
		const struct group *group = &sources->groups[group_index];
		for (int index = group->first; index < group->first + group->count; index++) {
			const struct member *member = &sources->members[index];
			const char *argument;
			size_t length;
			if (group_index == 0) {
				argument = member->current.bytes;
				length = member->current.len;
			} else {
				held_get(&member->held, group->row, &argument, &length);
			}
			append_argument(sources, argument, length, &first);
		}
	}
	advance(sources);
	*text = sources->out.bytes ? sources->out.bytes : "";
	*len = sources->out.len;
	return ITEMS_READY;
}

/* The rows the first member of --link gives once it has ended. */
static uint64_t link_first_rows(const struct member *member)
{
	return member->count + member->gave_empty;
}

/* --link: the first member read as asked (and remembered while it may have
 * to start again), every other one held; shorter ones wrap around. */
static enum items_status link_next(struct sources *sources, const char **text, size_t *len)
{
	struct member *first = &sources->members[0];
	uint64_t row = sources->link_row;
	bool first_argument = true;

	if (!first->has_current) {
		if (!first->ended) {
			enum items_status status = read_member(sources, first);
			if (status == ITEMS_WAIT || status == ITEMS_ERROR)
				return status;
			if (status == ITEMS_READY && row < sources->link_longest_held &&
			    held_add(sources, &sources->link_memory, first->current.bytes, first->current.len) < 0) {
				sources->failed = first;
				return ITEMS_ERROR;
			}
		}
		if (first->ended) {
			uint64_t rows = link_first_rows(first);
			if (row >= rows && row >= sources->link_longest_held)
				return ITEMS_END;
			const char *again;
			size_t again_len;
			held_get(&sources->link_memory, row % rows, &again, &again_len);
			first->current.len = 0;
			columns_out_append(&first->current, again, again_len);
			first->has_current = true;
		}
	}
	sources->out.len = 0;
	append_argument(sources, first->current.bytes, first->current.len, &first_argument);
	for (int index = 1; index < sources->member_count; index++) {
		const struct member *member = &sources->members[index];
		const char *argument;
		size_t length;
		held_get(&member->held, row % member->held.count, &argument, &length);
		append_argument(sources, argument, length, &first_argument);
	}
	first->has_current = false;
	sources->link_row++;
	*text = sources->out.bytes;
	*len = sources->out.len;
	return ITEMS_READY;
}

/* ---- the items operations ------------------------------------------------------ */

static enum items_status sources_next(void *state, const char **text, size_t *len)
{
	struct sources *sources = state;
	return sources->link ? link_next(sources, text, len) : combine_next(sources, text, len);
}

static int sources_fd(const void *state)
{
	const struct sources *sources = state;
	const struct group *group = &sources->groups[0];
	int members = sources->link ? 1 : group->count;

	for (int index = 0; index < members; index++) {
		const struct member *member = &sources->members[group->first + index];
		if (!member->has_current && !member->ended && member->items)
			return items_fd(member->items);
	}
	return -1;
}

/* The items a streamed member gives in all, or -1 while unknown. */
static int64_t member_rows(const struct sources *sources, const struct member *member)
{
	if (member->ended)
		return (int64_t)(member->count + member->gave_empty);
	int64_t total = items_total(member->items);
	if (total < 0)
		return -1;
	if (member->header_read)
		total--;
	if (total == 0 && sources->member_count > 1)
		total = 1;
	return total;
}

static uint64_t multiply_saturating(uint64_t a, uint64_t b)
{
	if (a && b > (uint64_t)INT64_MAX / a)
		return (uint64_t)INT64_MAX;
	return a * b;
}

static int64_t sources_total(const void *state)
{
	const struct sources *sources = state;
	const struct group *first = &sources->groups[0];
	int64_t rows = -1;

	if (sources->link) {
		rows = member_rows(sources, &sources->members[0]);
		if (rows < 0)
			return -1;
		return (uint64_t)rows > sources->link_longest_held ? rows : (int64_t)sources->link_longest_held;
	}
	for (int index = first->first; index < first->first + first->count; index++) {
		int64_t member = member_rows(sources, &sources->members[index]);
		if (member < 0)
			return -1;
		if (rows < 0 || member < rows)
			rows = member;
	}
	uint64_t total = (uint64_t)rows;
	for (int index = 1; index < sources->group_count; index++)
		total = multiply_saturating(total, sources->groups[index].rows);
	return (int64_t)total;
}

static int sources_error(const void *state, char *error, size_t size)
{
	const struct sources *sources = state;
	const struct member *member = sources->failed;

	if (!member)
		return 0;
	if (member->items && items_error(member->items, error, size) == 0) {
		/* The source is fine: it was --link's memory of it that was too big. */
		held_too_big(sources, member, error, size);
		return -1;
	}
	if (member->items)
		read_failed(member, error, size);
	return -1;
}

static uint64_t sources_nul_warning(void *state)
{
	struct sources *sources = state;

	for (int index = 0; index < sources->member_count; index++) {
		struct member *member = &sources->members[index];
		uint64_t seq = member->items ? items_take_nul_warning(member->items) : member->nul_warning;
		member->nul_warning = 0;
		if (seq)
			return seq;
	}
	return 0;
}

static void sources_destroy(void *state)
{
	struct sources *sources = state;

	if (!sources)
		return;
	for (int index = 0; index < sources->member_count; index++) {
		struct member *member = &sources->members[index];
		items_free(member->items);
		free(member->current.bytes);
		held_free(&member->held);
	}
	held_free(&sources->link_memory);
	header_names_free(sources->names);
	columns_regex_free(sources->colsep);
	free(sources->out.bytes);
	free(sources);
}

static const struct items_ops sources_ops = {
	.next = sources_next,
	.fd = sources_fd,
	.total = sources_total,
	.error = sources_error,
	.take_nul_warning = sources_nul_warning,
	.free = sources_destroy,
};

/* ---- setting up ------------------------------------------------------------------ */

/* Groups of linked members: a :::+ or ::::+ source joins the group before
 * it; with --link there is one group of all. */
static void make_groups(struct sources *sources, const struct sources_config *config)
{
	for (int index = 0; index < sources->member_count; index++) {
		bool joins = index > 0 && (sources->link || (config->count && config->specs[index].linked));
		if (joins) {
			sources->groups[sources->group_count - 1].count++;
			continue;
		}
		sources->groups[sources->group_count++] = (struct group){ .first = index, .count = 1 };
	}
}

static int configure(struct sources *sources, const struct sources_config *config, char *error, size_t size)
{
	const char *colsep = config->colsep;

	if (sources_check_config(config, error, size) < 0)
		return -1;
	/* As parallel: --colsep's columns are trimmed unless --trim says
	 * otherwise; --header alone splits its line (and the items) at tabs,
	 * untrimmed. */
	sources->trim = colsep ? TRIM_BOTH : TRIM_NONE;
	if (!colsep && config->header)
		colsep = "\t";
	if (config->trim)
		columns_parse_trim(config->trim, &sources->trim);
	if (colsep && !(sources->colsep = columns_regex_new(colsep, error, size)))
		return -1;
	sources->shape = sources->colsep || sources->trim != TRIM_NONE;
	sources->link = config->link && config->count > 1;
	sources->shuffle = config->shuffle;
	sources->held_limit = config->held_limit ? config->held_limit : SOURCES_HELD_MAX;
	return 0;
}

static int open_members(struct sources *sources, const struct sources_config *config, char *error,
			size_t size)
{
	sources->member_count = config->count ? config->count : 1;
	for (int index = 0; index < sources->member_count; index++) {
		struct member *member = &sources->members[index];
		if (config->count)
			member->spec = &config->specs[index];
		member->items = member->spec ? open_member(sources, config, member->spec, error, size)
					     : open_file(sources, config, NULL, error, size);
		if (!member->items)
			return -1;
	}
	return 0;
}

/* The members of the first group are streamed (with --link only the
 * first member); the others are read now and held. */
static int load_held(struct sources *sources, char *error, size_t size)
{
	int streamed = sources->link ? 1 : sources->groups[0].count;

	for (int index = 0; index < sources->member_count; index++) {
		struct member *member = &sources->members[index];
		member->streamed = index < streamed;
		if (member->streamed)
			continue;
		if (load_member(sources, member, error, size) < 0)
			return -1;
		if (member->held.count > sources->link_longest_held)
			sources->link_longest_held = member->held.count;
	}
	for (int index = 1; index < sources->group_count && !sources->link; index++) {
		struct group *group = &sources->groups[index];
		group->rows = UINT64_MAX;
		for (int member = group->first; member < group->first + group->count; member++) {
			if (sources->members[member].held.count < group->rows)
				group->rows = sources->members[member].held.count;
		}
	}
	return 0;
}

struct sources *sources_open(const struct sources_config *config, char *error, size_t size)
{
	struct sources *sources = xcalloc(1, sizeof *sources);

	if (configure(sources, config, error, size) < 0 || open_members(sources, config, error, size) < 0)
		goto failed;
	make_groups(sources, config);
	if (config->header && read_headers(sources, config->header, error, size) < 0)
		goto failed;
	if (load_held(sources, error, size) < 0)
		goto failed;
	return sources;
failed:
	sources_destroy(sources);
	return NULL;
}

int sources_argument_count(const struct sources *sources)
{
	return sources->colsep ? -1 : sources->member_count;
}

struct items *sources_items(struct sources *sources)
{
	struct items *items;
	bool plain = sources->member_count == 1 && !sources->shape && !sources->members[0].header_read;
	bool shuffle = sources->shuffle;
	size_t held_limit = sources->held_limit;

	if (plain) {
		/* One source as it is: its own items, with nothing in between. */
		items = sources->members[0].items;
		sources->members[0].items = NULL;
		sources_destroy(sources);
	} else {
		items = items_from_ops(&sources_ops, sources);
	}
	return shuffle ? sources_shuffle(items, held_limit, 0) : items;
}

char **sources_rename_placeholders(const struct sources *sources, char **words, int count)
{
	return header_names_rename(sources->names, words, count);
}

void sources_free_words(char **words, int count)
{
	header_names_free_words(words, count);
}
