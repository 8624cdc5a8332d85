/* spool.c - job output held whole: memory first, then an unlinked temp
 * file (O_TMPFILE) once it passes SPOOL_MEMORY_LIMIT, or in memory still
 * when no file can be written, up to SPOOL_MEMORY_ONLY_CAP in all. */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

/* Bytes held in memory by spools that could not spill, all spools together. */
static size_t memory_only_bytes;
static void (*overflow_hook)(void);
static bool overflow_told;
static void (*no_file_hook)(int error);
static bool no_file_told;

void spool_set_overflow_hook(void (*fn)(void))
{
	overflow_hook = fn;
}

void spool_set_no_file_hook(void (*fn)(int error))
{
	no_file_hook = fn;
}

size_t spool_memory_only_bytes(void)
{
	return memory_only_bytes;
}

void spool_init(struct spool *spool)
{
	*spool = (struct spool)SPOOL_INIT;
}

const char *spool_directory(void)
{
	const char *dir = getenv("TMPDIR");
	return dir && *dir ? dir : "/tmp";
}

int spool_write_all(int fd, const void *data, size_t len)
{
	const char *bytes = data;
	while (len > 0) {
		ssize_t n = write(fd, bytes, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;  /* no progress: never spin on it */
			return -1;
		}
		bytes += n;
		len -= (size_t)n;
	}
	return 0;
}

static int open_spill_file(void)
{
	int fd = open(spool_directory(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != ENOENT))
		return fd;
	char path[4096];
	snprintf(path, sizeof path, "%s/pooltop.XXXXXX", spool_directory());
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* Append to the spill file.  After a failure the file is not written
 * again (the spool holds the rest in memory); what a short write left past
 * file_len is cut off, so that it is never read back and its space is
 * given back to a full disk. */
static int file_append(struct spool *spool, const void *data, size_t len)
{
	if (spool_write_all(spool->fd, data, len)) {
		int saved = errno;
		if (ftruncate(spool->fd, spool->file_len)) {
			/* Reads stop at file_len all the same. */
		}
		errno = saved;
		return -1;
	}
	spool->file_len += (off_t)len;
	return 0;
}

/* No file takes the spool's bytes any more: from now on they count
 * against the memory cap. */
static void become_memory_only(struct spool *spool)
{
	int error = errno;
	spool->memory_only = true;
	memory_only_bytes += spool->len;
	if (!no_file_told && no_file_hook) {
		no_file_told = true;
		no_file_hook(error);
	}
}

/* Past the cap, bytes are dropped rather than memory growing without
 * bound: the spool's error says so, and the hook is told once. */
static bool memory_only_room(struct spool *spool, size_t len)
{
	if (memory_only_bytes + len <= SPOOL_MEMORY_ONLY_CAP)
		return true;
	if (!spool->error)
		spool->error = ENOBUFS;
	if (!overflow_told && overflow_hook) {
		overflow_told = true;
		overflow_hook();
	}
	return false;
}

/* Move the memory part to the file, so memory stays bounded. */
static int spill(struct spool *spool)
{
	if (spool->fd < 0 && (spool->fd = open_spill_file()) < 0)
		return -1;
	if (file_append(spool, spool->data, spool->len))
		return -1;
	spool->len = 0;
	return 0;
}

int spool_append(struct spool *spool, const void *data, size_t len)
{
	if (!spool->memory_only && spool->len + len > SPOOL_MEMORY_LIMIT) {
		/* No room for a file (TMPDIR missing or full, no fd left):
		 * memory is better than losing output. */
		if (spill(spool)) {
			become_memory_only(spool);
		} else if (len > SPOOL_MEMORY_LIMIT / 2) {
			if (!file_append(spool, data, len))
				return 0;
			become_memory_only(spool);
		}
	}
	if (spool->memory_only) {
		if (!memory_only_room(spool, len))
			return -1;
		memory_only_bytes += len;
	}
	xgrow(&spool->data, &spool->cap, spool->len + len, 1);
	memcpy(spool->data + spool->len, data, len);
	spool->len += len;
	return spool->error ? -1 : 0;
}

size_t spool_size(const struct spool *spool)
{
	return (size_t)spool->file_len + spool->len;
}

bool spool_empty(const struct spool *spool)
{
	return spool_size(spool) == 0;
}

int spool_write_to(struct spool *spool, int fd)
{
	char buf[65536];
	for (off_t at = 0; at < spool->file_len;) {
		/* Never past file_len: what lies beyond was not written whole. */
		size_t want = spool->file_len - at < (off_t)sizeof buf ? (size_t)(spool->file_len - at) : sizeof buf;
		ssize_t n = pread(spool->fd, buf, want, at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!spool->error)
				spool->error = n < 0 ? errno : EIO;
			break;
		}
		if (spool_write_all(fd, buf, (size_t)n))
			return -1;
		at += n;
	}
	return spool_write_all(fd, spool->data, spool->len);
}

size_t spool_read(const struct spool *spool, off_t from, void *buffer, size_t count)
{
	char *out = buffer;
	size_t done = 0;
	if (from < spool->file_len) {
		size_t in_file = (size_t)(spool->file_len - from);
		if (in_file > count)
			in_file = count;
		ssize_t n = pread(spool->fd, out, in_file, from);
		if (n < 0)
			n = 0;
		done = (size_t)n;
		if (done < in_file)
			return done;  /* the file fell short: nothing after it counts */
		from += n;
	}
	size_t in_memory_at = (size_t)(from - spool->file_len);
	if (done < count && in_memory_at < spool->len) {
		size_t take = spool->len - in_memory_at;
		if (take > count - done)
			take = count - done;
		memcpy(out + done, spool->data + in_memory_at, take);
		done += take;
	}
	return done;
}

int spool_append_spool(struct spool *dst, const struct spool *src)
{
	char buffer[65536];
	size_t total = spool_size(src);
	if (src->error && !dst->error)
		dst->error = src->error;
	for (size_t at = 0; at < total;) {
		errno = 0;
		size_t n = spool_read(src, (off_t)at, buffer, sizeof buffer);
		if (!n) {
			if (!dst->error)
				dst->error = errno ? errno : EIO;
			return -1;
		}
		spool_append(dst, buffer, n);
		at += n;
	}
	return dst->error ? -1 : 0;
}

size_t spool_peek(const struct spool *spool, char *out, size_t size)
{
	if (!size)
		return 0;
	size_t n = spool_read(spool, 0, out, size - 1);
	out[n] = '\0';
	return n;
}

size_t spool_tail(const struct spool *spool, char *out, size_t size)
{
	if (!size)
		return 0;
	size_t total = spool_size(spool), want = size - 1;
	off_t from = total > want ? (off_t)(total - want) : 0;
	size_t n = spool_read(spool, from, out, want);
	out[n] = '\0';
	return n;
}

void spool_discard(struct spool *spool, off_t from, off_t count)
{
	if (spool->fd < 0 || from >= spool->file_len)
		return;
	if (count > spool->file_len - from)
		count = spool->file_len - from;
	/* Unsupported by the file system: the space comes back at spool_clear. */
	fallocate(spool->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, from, count);
}

void spool_clear(struct spool *spool)
{
	if (spool->memory_only)
		memory_only_bytes -= spool->len;
	if (spool->fd >= 0)
		close(spool->fd);
	free(spool->data);
	spool_init(spool);
}

void spool_move(struct spool *dst, struct spool *src)
{
	*dst = *src;
	spool_init(src);
}
