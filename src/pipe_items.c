/* pipe_items.c - the block cutter of --pipe and --pipepart, as GNU parallel
 * 20221122 cuts (its spreadstdin and find_split_positions): a block ends
 * where --recend meets --recstart, so records are never split. */
#include "pipe_items.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feed.h"
#include "log.h"
#include "xalloc.h"

/* What ends one record and starts the next: a block is cut inside the
 * separator (recend + recstart), after its recend part. */
struct record_rules {
	char *separator;         /* recend then recstart, unescaped */
	size_t separator_len;
	size_t recend_len;       /* the cut falls this far into the separator */
	int records_per_block;   /* -N, or 0 */
	int header_lines;        /* --header N */
};

/* --pipe: a stream read into one buffer reused in place. */
struct pipe_stream {
	int fd;                  /* the input, owned */
	struct record_rules rules;
	uint64_t block_size;     /* grows when a record is longer than a block */
	char *buffer;            /* unread bytes are [start, end) */
	size_t capacity, start, end;
	size_t fill_to;          /* a round reads until end - start reaches this */
	bool round_open;         /* the buffer is filled; cuts are being made */
	bool round_cut;          /* ...and one was made (parallel's $anything_written) */
	bool at_eof, finished, header_done;
	size_t handed;           /* the block handed out last: consumed at the next call */
	char saved_byte;         /* the byte its terminating NUL covers */
	int failure;             /* errno that ended the input, or 0 */
	int saved_flags;         /* fd's status flags before O_NONBLOCK */
	char *header;            /* --header lines, repeated before every block */
	struct feed_source feed;
};

/* --pipepart: split points found by seeking, one block at a time. */
struct pipe_file {
	int fd;                  /* the file, owned; the feeds read it too */
	struct record_rules rules;
	uint64_t block_size, size;
	uint64_t next_start;     /* where the next block begins */
	uint64_t next_probe;     /* where to look for its end: a block size further */
	int failure;
	char *header;
	char text[FEED_RANGE_TEXT_SIZE];
	struct feed_source feed;
};

/* ---- sizes and separators ------------------------------------------------- */

int pipe_parse_block_size(const char *text, uint64_t *size)
{
	static const char units[] = "kmgtp";
	char *end;
	errno = 0;
	double value = strtod(text, &end);
	if (end == text || errno || !(value > 0))
		return -1;
	if (*end) {
		const char *unit = strchr(units, *end | 0x20);
		if (!unit || !*unit || end[1])
			return -1;
		double base = (*end >= 'a' && *end <= 'z') ? 1000 : 1024;
		value *= pow(base, (double)(unit - units + 1));
	}
	if (value < 1 || value > (double)PIPE_MAX_BLOCK_SIZE)
		return -1;
	*size = (uint64_t)value;
	return 0;
}

/* GNU parallel's escapes in --recstart / --recend: \0 \r \n \t \' \" \\. */
static size_t unescape(char *out, const char *text)
{
	size_t len = 0;
	for (; *text; text++) {
		const char *escapes = "0\0r\rn\nt\t''\"\"\\\\";
		const char *hit = text[0] == '\\' && text[1] ? strchr("0rnt'\"\\", text[1]) : NULL;
		if (hit) {
			out[len++] = escapes[(hit - "0rnt'\"\\") * 2 + 1];
			text++;
		} else {
			out[len++] = *text;
		}
	}
	return len;
}

static void rules_init(struct record_rules *rules, const struct pipe_settings *settings)
{
	const char *recend = settings->recend, *recstart = settings->recstart;
	if (!recend && !recstart)
		recend = "\\n";  /* neither given: records are lines */
	size_t room = (recend ? strlen(recend) : 0) + (recstart ? strlen(recstart) : 0) + 1;
	rules->separator = xmalloc(room);
	rules->recend_len = recend ? unescape(rules->separator, recend) : 0;
	rules->separator_len = rules->recend_len +
			       (recstart ? unescape(rules->separator + rules->recend_len, recstart) : 0);
	rules->records_per_block = settings->records_per_block;
	rules->header_lines = settings->header_lines;
}

/* Where the separator's last occurrence in text starts, or -1 (an empty
 * separator is found at the very end, as Perl's rindex finds it). */
static int64_t last_separator(const struct record_rules *rules, const char *text, size_t len)
{
	size_t n = rules->separator_len;
	if (n == 0)
		return (int64_t)len;
	if (len < n)
		return -1;
	const char *last_byte = text + len;
	while ((last_byte = memrchr(text + n - 1, rules->separator[n - 1],
				    (size_t)(last_byte - (text + n - 1)))) != NULL) {
		const char *at = last_byte - (n - 1);
		if (!memcmp(at, rules->separator, n))
			return at - text;
	}
	return -1;
}

/* Where the separator occurs in text at or after from, or -1. */
static int64_t next_separator(const struct record_rules *rules, const char *text, size_t len, size_t from)
{
	if (rules->separator_len == 0)
		return from <= len ? (int64_t)from : -1;
	if (from >= len)
		return -1;
	const char *at = memmem(text + from, len - from, rules->separator, rules->separator_len);
	return at ? at - text : -1;
}

/* -N: where the Nth separator starts, searching from offset 1 and then
 * one past each find (parallel's nindex), or -1. */
static int64_t nth_separator(const struct record_rules *rules, const char *text, size_t len)
{
	int64_t at = 0;
	for (int k = 0; k < rules->records_per_block; k++)
		if ((at = next_separator(rules, text, len, (size_t)at + 1)) < 0)
			return -1;
	return at;
}

/* The length of the first `lines` lines of text, or 0 when text holds fewer. */
static size_t header_length(const char *text, size_t len, int lines)
{
	size_t at = 0;
	for (int k = 0; k < lines; k++) {
		const char *newline = memchr(text + at, '\n', len - at);
		if (!newline)
			return 0;
		at = (size_t)(newline - text) + 1;
	}
	return at;
}

static uint64_t grown_block_size(uint64_t size)
{
	uint64_t grown = (uint64_t)ceil((double)size * 1.3 + 1);
	return grown < PIPE_MAX_BLOCK_SIZE ? grown : PIPE_MAX_BLOCK_SIZE;
}

/* ---- --pipe: a stream ------------------------------------------------------ */

/* Read until the round's fill target; ITEMS_WAIT when the input has nothing now. */
static enum items_status stream_fill(struct pipe_stream *stream)
{
	size_t want = stream->start + stream->fill_to;
	while (!stream->at_eof && stream->end < want) {
		ssize_t got = read(stream->fd, stream->buffer + stream->end, want - stream->end);
		if (got > 0)
			stream->end += (size_t)got;
		else if (got == 0)
			stream->at_eof = true;
		else if (errno == EAGAIN || errno == EWOULDBLOCK)
			return ITEMS_WAIT;
		else if (errno != EINTR) {
			stream->failure = errno;
			return ITEMS_ERROR;
		}
	}
	return ITEMS_READY;
}

/* A new round: fill the buffer up to the next multiple of the block size
 * (parallel's read_block), the partial record left over included. */
static void stream_new_round(struct pipe_stream *stream)
{
	size_t held = stream->end - stream->start;
	if (held)  /* the first round has no buffer yet */
		memmove(stream->buffer, stream->buffer + stream->start, held);
	stream->start = 0;
	stream->end = held;
	stream->fill_to = held + (size_t)(stream->block_size - held % stream->block_size);
	if (stream->fill_to + 1 > stream->capacity) {
		stream->capacity = stream->fill_to + 1;
		stream->buffer = xreallocarray(stream->buffer, stream->capacity, 1);
	}
	stream->round_open = false;
	stream->round_cut = false;
}

/* --header N: the first N lines, kept aside for every block. */
static enum items_status stream_take_header(struct pipe_stream *stream)
{
	for (;;) {
		size_t held = stream->end - stream->start;
		size_t len = header_length(stream->buffer + stream->start, held, stream->rules.header_lines);
		if (len || stream->at_eof) {
			stream->header = xstrndup(stream->buffer + stream->start, len);
			stream->feed.header = stream->header;
			stream->feed.header_len = len;
			stream->start += len;
			stream->header_done = true;
			stream_new_round(stream);  /* a block's worth after the header */
			return ITEMS_READY;
		}
		if (held == stream->fill_to)
			stream->fill_to += (size_t)stream->block_size;
		if (stream->fill_to + 1 > stream->capacity) {
			stream->capacity = stream->fill_to + 1;
			stream->buffer = xreallocarray(stream->buffer, stream->capacity, 1);
		}
		enum items_status status = stream_fill(stream);
		if (status != ITEMS_READY)
			return status;
	}
}

static enum items_status stream_hand_out(struct pipe_stream *stream, size_t len, const char **text,
					 size_t *text_len)
{
	char *block = stream->buffer + stream->start;
	stream->handed = len;
	stream->saved_byte = block[len];
	block[len] = '\0';
	*text = block;
	*text_len = len;
	return ITEMS_READY;
}

/* The cut this round still allows, or 0. */
static size_t stream_cut(struct pipe_stream *stream)
{
	const struct record_rules *rules = &stream->rules;
	const char *text = stream->buffer + stream->start;
	size_t held = stream->end - stream->start;
	int64_t at;
	if (rules->records_per_block)
		at = nth_separator(rules, text, held);
	else if (stream->at_eof || stream->round_cut)
		return 0;  /* one cut per round; at the end, the rest goes whole */
	else
		at = last_separator(rules, text, held);
	return at < 0 ? 0 : (size_t)at + rules->recend_len;
}

static enum items_status stream_next(void *state, const char **text, size_t *len)
{
	struct pipe_stream *stream = state;
	if (stream->handed) {
		stream->buffer[stream->start + stream->handed] = stream->saved_byte;
		stream->start += stream->handed;
		stream->handed = 0;
	}
	if (stream->failure)
		return ITEMS_ERROR;
	while (!stream->finished) {
		if (!stream->round_open) {
			enum items_status status = stream->header_done ? ITEMS_READY : stream_take_header(stream);
			if (status == ITEMS_READY)
				status = stream_fill(stream);
			if (status != ITEMS_READY)
				return status;
			stream->round_open = true;
		}
		size_t cut = stream_cut(stream);
		if (cut) {
			stream->round_cut = true;
			return stream_hand_out(stream, cut, text, len);
		}
		size_t held = stream->end - stream->start;
		if (stream->at_eof) {
			stream->finished = true;
			if (held)
				return stream_hand_out(stream, held, text, len);
			break;
		}
		if (!stream->round_cut) {  /* a record longer than a block */
			stream->block_size = grown_block_size(stream->block_size);
			log_debug("--pipe: a record is longer than the block: --block grows to %" PRIu64,
				  stream->block_size);
		}
		stream_new_round(stream);
	}
	return ITEMS_END;
}

static int stream_fd(const void *state)
{
	const struct pipe_stream *stream = state;
	return stream->finished ? -1 : stream->fd;
}

static int stream_error(const void *state, char *error, size_t size)
{
	const struct pipe_stream *stream = state;
	if (!stream->failure)
		return 0;
	snprintf(error, size, "cannot read the input of --pipe: %s", strerror(stream->failure));
	return -1;
}

static void stream_free(void *state)
{
	struct pipe_stream *stream = state;
	(void)fcntl(stream->fd, F_SETFL, stream->saved_flags);  /* stdin is shared with the caller */
	close(stream->fd);
	free(stream->rules.separator);
	free(stream->header);
	free(stream->buffer);
	free(stream);
}

static const struct items_ops stream_ops = {
	.next = stream_next,
	.fd = stream_fd,
	.error = stream_error,
	.free = stream_free,
};

struct items *pipe_items_from_stream(int fd, const struct pipe_settings *settings,
				     const struct feed_source **feed)
{
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return NULL;
	struct pipe_stream *stream = xcalloc(1, sizeof *stream);
	stream->fd = fd;
	stream->saved_flags = flags;
	rules_init(&stream->rules, settings);
	stream->block_size = settings->block_size ? settings->block_size : PIPE_DEFAULT_BLOCK_SIZE;
	stream->header_done = settings->header_lines <= 0;
	stream->feed.file_fd = -1;
	stream_new_round(stream);
	*feed = &stream->feed;
	return items_from_ops(&stream_ops, stream);
}

/* ---- --pipepart: a file ---------------------------------------------------- */

/* Bytes read at a time while looking for a cut (parallel's dd block size). */
#define PROBE_CHUNK ((size_t)128 * 1024)

/* The first record boundary at or after `from`, as a cut position: after
 * the separator's recend part.  The end of the file when there is none. */
static uint64_t file_find_cut(struct pipe_file *file, uint64_t from)
{
	const struct record_rules *rules = &file->rules;
	if (rules->separator_len == 0)
		return from;
	size_t overlap = rules->separator_len - 1;
	char *chunk = xmalloc(PROBE_CHUNK + overlap);
	uint64_t cut = file->size;
	size_t kept = 0;  /* bytes at chunk's start carried over from the last read */
	for (uint64_t at = from; at < file->size;) {
		ssize_t got = pread(file->fd, chunk + kept, PROBE_CHUNK, (off_t)at);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got < 0)
				file->failure = errno;
			break;
		}
		size_t len = kept + (size_t)got;
		int64_t found = next_separator(rules, chunk, len, 0);
		if (found >= 0) {
			cut = at - kept + (uint64_t)found + rules->recend_len;
			break;
		}
		at += (uint64_t)got;
		kept = len < overlap ? len : overlap;
		memmove(chunk, chunk + len - kept, kept);
	}
	free(chunk);
	return cut;
}

static enum items_status file_next(void *state, const char **text, size_t *len)
{
	struct pipe_file *file = state;
	if (file->failure)
		return ITEMS_ERROR;
	if (file->next_start >= file->size)
		return ITEMS_END;
	uint64_t end = file->next_probe < file->size ? file_find_cut(file, file->next_probe) : file->size;
	if (file->failure)
		return ITEMS_ERROR;
	*len = feed_range_text(file->text, sizeof file->text, file->next_start, end - file->next_start);
	*text = file->text;
	file->next_start = end;
	file->next_probe = end + file->block_size;
	return ITEMS_READY;
}

static int file_error(const void *state, char *error, size_t size)
{
	const struct pipe_file *file = state;
	if (!file->failure)
		return 0;
	snprintf(error, size, "cannot read the file of --pipepart: %s", strerror(file->failure));
	return -1;
}

static void file_free(void *state)
{
	struct pipe_file *file = state;
	close(file->fd);
	free(file->rules.separator);
	free(file->header);
	free(file);
}

static const struct items_ops file_ops = {
	.next = file_next,
	.error = file_error,
	.free = file_free,
};

/* --header N: the first N lines of the file, or none when it holds fewer. */
static int file_read_header(struct pipe_file *file)
{
	size_t capacity = 0, held = 0, len = 0;
	char *text = NULL;
	while (!len && held < file->size) {
		xgrow(&text, &capacity, held + PROBE_CHUNK, 1);
		ssize_t got = pread(file->fd, text + held, PROBE_CHUNK, (off_t)held);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			free(text);
			return got < 0 ? -1 : 0;
		}
		held += (size_t)got;
		len = header_length(text, held, file->rules.header_lines);
	}
	file->header = text;
	file->feed.header = text;
	file->feed.header_len = len;
	return 0;
}

struct items *pipe_items_from_file(int fd, const struct pipe_settings *settings,
				   const struct feed_source **feed, char *error, size_t size)
{
	struct stat st;
	off_t file_size = -1;
	if (fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)))
		file_size = lseek(fd, 0, SEEK_END);
	if (file_size < 0) {
		snprintf(error, size, "--pipepart needs a seekable file (-a FILE), not a stream or a pipe");
		return NULL;
	}
	struct pipe_file *file = xcalloc(1, sizeof *file);
	file->fd = fd;
	rules_init(&file->rules, settings);
	file->block_size = settings->block_size ? settings->block_size : PIPE_DEFAULT_BLOCK_SIZE;
	file->size = (uint64_t)file_size;
	file->feed.file_fd = fd;
	if (settings->header_lines > 0 && file_read_header(file)) {
		snprintf(error, size, "cannot read the file of --pipepart: %s", strerror(errno));
		file->fd = -1;  /* the caller's again */
		file_free(file);
		return NULL;
	}
	file->next_start = file->feed.header_len;
	file->next_probe = file->next_start + file->block_size;
	*feed = &file->feed;
	return items_from_ops(&file_ops, file);
}
