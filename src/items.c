/* items.c - item sources: a streaming delimiter reader over a file
 * descriptor, an integer range and inline arguments.  The reader keeps one
 * buffer that is reused in place, so endless input runs in flat memory. */
#include "items.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

/* The reader's usual buffer size; it only grows for one item that does not
 * fit, and shrinks back once that item has been handed out. */
#define READER_BASE_CAPACITY ((size_t)64 * 1024)

enum source_kind {
	SOURCE_FD,
	SOURCE_RANGE,
	SOURCE_ARRAY,
	SOURCE_OPS,
};

struct fd_reader {
	int fd;            /* the input, owned; closed by items_free */
	char delimiter;    /* item separator: '\n', '\0' or the -d character */
	char *buffer;      /* bytes read but not yet handed out live in [start, end) */
	size_t capacity;   /* size of buffer; one byte is always kept for a final NUL */
	size_t start;      /* first byte of the next item */
	size_t end;        /* one past the last byte read */
	size_t scanned;    /* [start, scanned) is known to hold no delimiter */
	bool at_eof;       /* read() returned 0: what is buffered is all there is */
	bool refused;      /* an item was longer than max_length: the source ended */
	size_t max_length; /* longest item accepted, 0 for no limit */
	int saved_flags;   /* the fd's status flags before O_NONBLOCK, put back at
	                      the end; -1 when they were left alone */
};

struct range_walk {
	int64_t next;        /* the value handed out next */
	int64_t step;        /* added after each value, never 0 */
	uint64_t left_after; /* values still to come after `next` */
	bool done;           /* every value has been handed out */
	char text[24];       /* decimal text of the last value handed out */
};

struct array_walk {
	char **argv;   /* the caller's strings, not copied */
	int count;     /* how many there are */
	int index;     /* the one handed out next */
};

struct ops_source {
	const struct items_ops *ops;
	void *state;
};

struct items {
	enum source_kind kind;   /* which of the members below is in use */
	int64_t total;           /* items in all, -1 until known */
	int64_t handed_out;      /* items returned so far */
	uint64_t nul_cut_seq;    /* the first item cut at a NUL byte, 0 if none */
	bool nul_cut_told;       /* items_take_nul_warning() has returned it */
	int failure;             /* errno of the error that ended the source, or 0 */
	uint64_t failed_seq;     /* the position of the item being read then */
	union {
		struct fd_reader reader;
		struct range_walk range;
		struct array_walk array;
		struct ops_source other;
	} source;
};

static struct items *items_alloc(enum source_kind kind)
{
	struct items *items = xcalloc(1, sizeof(*items));

	items->kind = kind;
	items->total = -1;
	return items;
}

/* O_NONBLOCK is a flag of the open file, which stdin shares with whoever
 * started pooltop: it is set for the run and taken off again at the end,
 * or a shell reading on after pooltop would meet EAGAIN. */
static int reader_set_nonblocking(struct fd_reader *reader)
{
	int flags = fcntl(reader->fd, F_GETFL);

	if (flags < 0)
		return -1;
	if (flags & O_NONBLOCK)
		return 0;
	if (fcntl(reader->fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -1;
	reader->saved_flags = flags;
	return 0;
}

struct items *items_from_fd(int fd, char delim, bool nonblocking)
{
	struct items *items = items_alloc(SOURCE_FD);
	struct fd_reader *reader = &items->source.reader;

	reader->fd = fd;
	reader->delimiter = delim;
	reader->saved_flags = -1;
	if (nonblocking && reader_set_nonblocking(reader) < 0) {
		free(items);
		return NULL;
	}
	reader->buffer = xmalloc(READER_BASE_CAPACITY);
	reader->capacity = READER_BASE_CAPACITY;
	return items;
}

/* How many values first, first+step, ... lie within [first, last], minus
 * one (the count itself can be 2^64), or false for an empty range. */
static bool range_count_after_first(int64_t first, int64_t last, int64_t step,
				    uint64_t *count_after_first)
{
	uint64_t distance, stride;

	if (step > 0) {
		if (first > last)
			return false;
		distance = (uint64_t)last - (uint64_t)first;
		stride = (uint64_t)step;
	} else {
		if (first < last)
			return false;
		distance = (uint64_t)first - (uint64_t)last;
		stride = (uint64_t)0 - (uint64_t)step;
	}
	*count_after_first = distance / stride;
	return true;
}

struct items *items_from_range(int64_t first, int64_t last, int64_t step)
{
	struct items *items;
	struct range_walk *range;
	uint64_t after_first = 0;

	if (step == 0) {
		errno = EINVAL;
		return NULL;
	}
	items = items_alloc(SOURCE_RANGE);
	range = &items->source.range;
	range->next = first;
	range->step = step;
	if (!range_count_after_first(first, last, step, &after_first)) {
		range->done = true;
		items->total = 0;
		return items;
	}
	range->left_after = after_first;
	/* The full int64 span holds 2^64 values; the total saturates. */
	items->total = after_first >= (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)after_first + 1;
	return items;
}

struct items *items_from_array(char **argv, int argc)
{
	struct items *items = items_alloc(SOURCE_ARRAY);

	items->source.array.argv = argv;
	items->source.array.count = argc < 0 ? 0 : argc;
	items->total = items->source.array.count;
	return items;
}

/* Writes the decimal form of value into text (at least 21 bytes);
 * returns its length. */
struct items *items_from_ops(const struct items_ops *ops, void *state)
{
	struct items *items = items_alloc(SOURCE_OPS);

	items->source.other = (struct ops_source){ .ops = ops, .state = state };
	return items;
}

static size_t format_int64(char *text, int64_t value)
{
	char digits[24];
	size_t count = 0, length = 0;
	/* Work on the magnitude as unsigned so INT64_MIN needs no special case. */
	uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;

	do {
		digits[count++] = (char)('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude);
	if (value < 0)
		text[length++] = '-';
	while (count)
		text[length++] = digits[--count];
	text[length] = '\0';
	return length;
}

static enum items_status range_next(struct items *items, const char **text, size_t *len)
{
	struct range_walk *range = &items->source.range;

	if (range->done)
		return ITEMS_END;
	*len = format_int64(range->text, range->next);
	*text = range->text;
	if (range->left_after == 0) {
		range->done = true;
	} else {
		range->left_after--;
		/* Stays within [first, last], so this cannot overflow. */
		range->next += range->step;
	}
	return ITEMS_READY;
}

static enum items_status array_next(struct items *items, const char **text, size_t *len)
{
	struct array_walk *array = &items->source.array;

	if (array->index >= array->count)
		return ITEMS_END;
	*text = array->argv[array->index++];
	*len = strlen(*text);
	return ITEMS_READY;
}

/* Moves the unconsumed bytes to the front of the buffer. */
static void reader_compact(struct fd_reader *reader)
{
	size_t pending = reader->end - reader->start;

	if (reader->start == 0)
		return;
	memmove(reader->buffer, reader->buffer + reader->start, pending);
	reader->scanned -= reader->start;
	reader->start = 0;
	reader->end = pending;
}

/* After a huge item has been handed out, go back to the base size so one
 * long line does not pin its memory for the rest of the run. */
static void reader_shrink_if_oversized(struct fd_reader *reader)
{
	if (reader->capacity <= READER_BASE_CAPACITY)
		return;
	if (reader->end - reader->start >= READER_BASE_CAPACITY / 2)
		return;
	reader_compact(reader);
	reader->buffer = xreallocarray(reader->buffer, READER_BASE_CAPACITY, 1);
	reader->capacity = READER_BASE_CAPACITY;
}

/* The most the buffer may grow to under a length limit: the longest item,
 * its delimiter, the final NUL and room for one more read. */
static size_t reader_capacity_limit(const struct fd_reader *reader)
{
	size_t slack = READER_BASE_CAPACITY / 4 + 2;

	if (!reader->max_length || reader->max_length > SIZE_MAX / 2 - slack)
		return SIZE_MAX / 2;
	return reader->max_length + slack;
}

/* Makes room to read more: reuse consumed space when there is enough of it,
 * otherwise grow (only one item larger than the buffer gets here).  Under a
 * length limit the caller has checked that the pending bytes fit it, so the
 * capped size still leaves room. */
static void reader_make_room(struct fd_reader *reader)
{
	size_t room = reader->capacity - 1 - reader->end;
	size_t grown;

	if (reader->start == reader->end) {
		reader->start = reader->end = reader->scanned = 0;
		return;
	}
	if (room >= READER_BASE_CAPACITY / 4)
		return;
	if (reader->start > 0) {
		reader_compact(reader);
		if (reader->capacity - 1 - reader->end >= READER_BASE_CAPACITY / 4)
			return;
	}
	grown = reader->capacity * 2;
	if (grown > reader_capacity_limit(reader))
		grown = reader_capacity_limit(reader);
	reader->buffer = xreallocarray(reader->buffer, grown, 1);
	reader->capacity = grown;
}

/* Counts the items still buffered once the input has ended, so the total
 * is known as soon as the last read returns. */
static int64_t reader_count_buffered(const struct fd_reader *reader)
{
	const char *cursor = reader->buffer + reader->start;
	const char *limit = reader->buffer + reader->end;
	int64_t count = 0;

	while (cursor < limit) {
		const char *found = memchr(cursor, reader->delimiter, (size_t)(limit - cursor));

		count++;
		if (!found)
			break;
		cursor = found + 1;
	}
	return count;
}

/* Reads once into the free tail.  Returns 1 when bytes or EOF arrived, 0 for
 * ITEMS_WAIT, -1 on error. */
static int reader_fill(struct items *items)
{
	struct fd_reader *reader = &items->source.reader;
	ssize_t got;

	reader_make_room(reader);
	for (;;) {
		got = read(reader->fd, reader->buffer + reader->end,
			   reader->capacity - 1 - reader->end);
		if (got >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		items->failure = errno;
		items->failed_seq = (uint64_t)items->handed_out + 1;
		return -1;
	}
	if (got == 0) {
		reader->at_eof = true;
		items->total = items->handed_out + reader_count_buffered(reader);
		return 1;
	}
	reader->end += (size_t)got;
	return 1;
}

/* An argument cannot carry a NUL byte, so an item holding one is cut
 * there, as xargs does; the first such item is remembered for a warning. */
static void cut_at_nul(struct items *items, const char *text, size_t *len)
{
	const char *nul = memchr(text, '\0', *len);

	if (!nul)
		return;
	*len = (size_t)(nul - text);
	if (!items->nul_cut_seq)
		items->nul_cut_seq = (uint64_t)items->handed_out;
}

static enum items_status reader_hand_out(struct items *items, size_t item_end,
					 size_t next_start, const char **text, size_t *len)
{
	struct fd_reader *reader = &items->source.reader;

	reader->buffer[item_end] = '\0';
	*text = reader->buffer + reader->start;
	*len = item_end - reader->start;
	reader->start = next_start;
	reader->scanned = next_start;
	items->handed_out++;
	if (reader->delimiter != '\0')
		cut_at_nul(items, *text, len);
	return ITEMS_READY;
}

/* An item longer than the limit is refused, and so is the rest of the
 * input: the run cannot know where the next item would start without
 * reading the whole line, which is what the limit is there to prevent. */
static enum items_status reader_refuse(struct items *items)
{
	struct fd_reader *reader = &items->source.reader;

	reader->refused = true;
	items->failure = EMSGSIZE;
	items->failed_seq = (uint64_t)items->handed_out + 1;
	log_debug("input: item %" PRIu64 " is longer than %zu bytes: refused, no further items",
		  items->failed_seq, reader->max_length);
	reader->start = reader->end = reader->scanned = 0;
	reader->buffer = xreallocarray(reader->buffer, READER_BASE_CAPACITY, 1);
	reader->capacity = READER_BASE_CAPACITY;
	errno = EMSGSIZE;
	return ITEMS_ERROR;
}

static bool reader_over_limit(const struct fd_reader *reader, size_t item_end)
{
	return reader->max_length && item_end - reader->start > reader->max_length;
}

static enum items_status reader_next(struct items *items, const char **text, size_t *len)
{
	struct fd_reader *reader = &items->source.reader;

	if (reader->refused) {
		errno = EMSGSIZE;
		return ITEMS_ERROR;
	}
	reader_shrink_if_oversized(reader);
	for (;;) {
		char *found = memchr(reader->buffer + reader->scanned, reader->delimiter,
				     reader->end - reader->scanned);
		int filled;

		if (found) {
			size_t item_end = (size_t)(found - reader->buffer);

			if (reader_over_limit(reader, item_end))
				return reader_refuse(items);
			return reader_hand_out(items, item_end, item_end + 1, text, len);
		}
		reader->scanned = reader->end;
		if (reader_over_limit(reader, reader->end))
			return reader_refuse(items);
		if (reader->at_eof) {
			if (reader->start == reader->end)
				return ITEMS_END;
			/* The last item has no delimiter; the spare byte holds its NUL. */
			return reader_hand_out(items, reader->end, reader->end, text, len);
		}
		filled = reader_fill(items);
		if (filled == 0)
			return ITEMS_WAIT;
		if (filled < 0)
			return ITEMS_ERROR;
	}
}

enum items_status items_next(struct items *items, const char **text, size_t *len)
{
	enum items_status status;

	switch (items->kind) {
	case SOURCE_RANGE:
		status = range_next(items, text, len);
		break;
	case SOURCE_ARRAY:
		status = array_next(items, text, len);
		break;
	case SOURCE_OPS:
		status = items->source.other.ops->next(items->source.other.state, text, len);
		break;
	default:
		return reader_next(items, text, len);
	}
	if (status == ITEMS_READY)
		items->handed_out++;
	return status;
}

void items_set_max_length(struct items *items, size_t max_length)
{
	if (items->kind == SOURCE_FD)
		items->source.reader.max_length = max_length;
}

uint64_t items_take_nul_warning(struct items *items)
{
	if (items && items->kind == SOURCE_OPS) {
		const struct ops_source *other = &items->source.other;
		return other->ops->take_nul_warning ? other->ops->take_nul_warning(other->state) : 0;
	}
	if (!items || !items->nul_cut_seq || items->nul_cut_told)
		return 0;
	items->nul_cut_told = true;
	return items->nul_cut_seq;
}

int items_error(const struct items *items, char *error, size_t size)
{
	if (items && items->kind == SOURCE_OPS) {
		const struct ops_source *other = &items->source.other;
		return other->ops->error ? other->ops->error(other->state, error, size) : 0;
	}
	if (!items || !items->failure)
		return 0;
	if (items->failure == EMSGSIZE)
		snprintf(error, size, "item %" PRIu64 " is longer than --max-line (%zu bytes): "
			 "it and the items after it were not run", items->failed_seq,
			 items->source.reader.max_length);
	else
		snprintf(error, size, "cannot read items (at item %" PRIu64 "): %s", items->failed_seq,
			 strerror(items->failure));
	return -1;
}

int items_fd(const struct items *items)
{
	if (items->kind == SOURCE_OPS) {
		const struct ops_source *other = &items->source.other;
		return other->ops->fd ? other->ops->fd(other->state) : -1;
	}
	if (items->kind != SOURCE_FD || items->source.reader.at_eof)
		return -1;
	return items->source.reader.fd;
}

int64_t items_total(const struct items *items)
{
	if (items->kind == SOURCE_OPS) {
		const struct ops_source *other = &items->source.other;
		return other->ops->total ? other->ops->total(other->state) : -1;
	}
	return items->total;
}

size_t items_buffer_capacity(const struct items *items)
{
	if (items->kind != SOURCE_FD)
		return 0;
	return items->source.reader.capacity;
}

void items_free(struct items *items)
{
	if (!items)
		return;
	if (items->kind == SOURCE_FD) {
		struct fd_reader *reader = &items->source.reader;

		if (reader->saved_flags >= 0)
			fcntl(reader->fd, F_SETFL, reader->saved_flags);
		if (reader->fd >= 0)
			close(reader->fd);
		free(reader->buffer);
	}
	if (items->kind == SOURCE_OPS && items->source.other.ops->free)
		items->source.other.ops->free(items->source.other.state);
	free(items);
}

/* Parses one optionally signed decimal integer filling all of
 * [text, text+length).  Returns 0, or -1 with *error set. */
static int parse_int64(const char *text, size_t length, int64_t *value, const char **error)
{
	bool negative = false;
	uint64_t magnitude = 0;
	uint64_t limit;
	size_t index = 0;

	if (length > 0 && (text[0] == '+' || text[0] == '-')) {
		negative = text[0] == '-';
		index = 1;
	}
	if (index == length) {
		*error = "range bounds and step must be integers, as in 1..10 or 10..1..-2";
		return -1;
	}
	limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; index < length; index++) {
		unsigned digit = (unsigned char)text[index] - '0';

		if (digit > 9) {
			*error = "range bounds and step must be integers, as in 1..10 or 10..1..-2";
			return -1;
		}
		if (magnitude > (limit - digit) / 10) {
			*error = "number out of range (beyond 64-bit integers)";
			return -1;
		}
		magnitude = magnitude * 10 + digit;
	}
	if (negative)
		*value = magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)magnitude;
	else
		*value = (int64_t)magnitude;
	return 0;
}

int items_parse_range(const char *spec, int64_t *first, int64_t *last, int64_t *step,
		      const char **error)
{
	static const char shape_error[] = "expected A..B or A..B..STEP, e.g. 1..10 or 0..100..5";
	const char *parts[3];
	size_t lengths[3];
	int part_count = 0;
	const char *cursor = spec;
	int64_t values[3];

	for (;;) {
		const char *separator = strstr(cursor, "..");

		if (part_count == 3) {
			*error = shape_error;
			return -1;
		}
		parts[part_count] = cursor;
		lengths[part_count] = separator ? (size_t)(separator - cursor) : strlen(cursor);
		if (lengths[part_count] == 0) {
			*error = shape_error;
			return -1;
		}
		part_count++;
		if (!separator)
			break;
		cursor = separator + 2;
	}
	if (part_count < 2) {
		*error = shape_error;
		return -1;
	}
	for (int index = 0; index < part_count; index++) {
		if (parse_int64(parts[index], lengths[index], &values[index], error) < 0)
			return -1;
	}
	if (part_count == 2) {
		values[2] = values[0] <= values[1] ? 1 : -1;
	} else if (values[2] == 0) {
		*error = "step must not be 0";
		return -1;
	} else if (values[2] < 0 && values[0] < values[1]) {
		*error = "a negative step never reaches a larger end (write 1..5..1 or 5..1..-1)";
		return -1;
	} else if (values[2] > 0 && values[0] > values[1]) {
		*error = "a positive step never reaches a smaller end (write 5..1..-1 or 1..5..1)";
		return -1;
	}
	*first = values[0];
	*last = values[1];
	*step = values[2];
	return 0;
}
