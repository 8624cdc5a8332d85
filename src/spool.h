/* spool.h - a byte buffer for one job's output that spills to an unlinked
 * temporary file when it grows large, so output is held whole (never
 * truncated) without holding much memory.  Bytes that are lost all the
 * same (the spill file cannot be read back) are not dropped in silence:
 * the spool remembers why, for whoever writes it out. */
#ifndef POOLTOP_SPOOL_H
#define POOLTOP_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct spool {
	char *data;        /* bytes held in memory */
	size_t len, cap;
	int fd;            /* -1, or the unlinked temp file holding the earlier bytes */
	off_t file_len;    /* bytes in fd */
	bool memory_only;  /* the file could not be made or written: hold the rest in memory */
	int error;         /* errno of the first loss of bytes, sticky until cleared; 0 if none */
};

#define SPOOL_INIT { .fd = -1 }
/* Bytes kept in memory before spilling to a temp file. */
#define SPOOL_MEMORY_LIMIT ((size_t)256 * 1024)
/* When no temp file can be made or written, output is held in memory, up
 * to this much in all spools together; bytes past it are lost (the
 * spool's error is ENOBUFS) and the overflow hook is called, once. */
#define SPOOL_MEMORY_ONLY_CAP ((size_t)64 * 1024 * 1024)

/* fn() is called the first time the cap above is reached: the run must
 * then end (output is being lost). */
void spool_set_overflow_hook(void (*fn)(void));
/* fn(errno) is called the first time a spill file cannot be made or
 * written (the output is then held in memory: nothing is lost yet). */
void spool_set_no_file_hook(void (*fn)(int error));
/* Bytes held in memory now for want of a spill file. */
size_t spool_memory_only_bytes(void);

void spool_init(struct spool *spool);
/* Hold len more bytes (memory cannot run out: see xalloc.h).  Returns 0,
 * or -1 when the spool has lost bytes, these or earlier (spool->error). */
int spool_append(struct spool *spool, const void *data, size_t len);
/* Append all of src to dst; what src lost, or what cannot be read from
 * it, becomes dst's error.  0 or -1 (dst->error set). */
int spool_append_spool(struct spool *dst, const struct spool *src);
size_t spool_size(const struct spool *spool);
bool spool_empty(const struct spool *spool);
/* Write everything held to fd (blocking; retries short writes).  Returns
 * 0, or -1 with errno set when fd cannot be written.  Bytes the spill file
 * cannot give back are lost: spool->error says so. */
int spool_write_to(struct spool *spool, int fd);
/* Write all len bytes of data to a blocking fd, retrying short writes and
 * EINTR: the one write loop for spools, job output and the joblog.
 * Returns 0, or -1 with errno set. */
int spool_write_all(int fd, const void *data, size_t len);
/* Copy up to count bytes of the spool's content, from offset from, into
 * buffer; returns how many were copied (0 past the end; fewer, with errno
 * set, when the spill file cannot be read). */
size_t spool_read(const struct spool *spool, off_t from, void *buffer, size_t count);
/* Give back the file space of bytes [from, from+count) that will not be
 * read again; they must not be read after. */
void spool_discard(struct spool *spool, off_t from, off_t count);
/* Copy up to size-1 bytes of the start of the spool into out, NUL-terminated. */
size_t spool_peek(const struct spool *spool, char *out, size_t size);
/* The last `size - 1` bytes at most (for "last lines of stderr"). */
size_t spool_tail(const struct spool *spool, char *out, size_t size);
/* Empty the spool, its error included. */
void spool_clear(struct spool *spool);
/* Move src into dst (dst must be empty); src is left empty. */
void spool_move(struct spool *dst, struct spool *src);

/* Directory for spill files: $TMPDIR or /tmp. */
const char *spool_directory(void);

#endif
