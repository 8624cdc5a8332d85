/* pipe_items.h - --pipe and --pipepart: the input cut into blocks of whole
 * records, as GNU parallel cuts it, each block one item whose bytes the
 * pool writes to its job's standard input (feed.h). */
#ifndef POOLTOP_PIPE_ITEMS_H
#define POOLTOP_PIPE_ITEMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "items.h"

struct feed_source;

/* GNU parallel's default --block: 1M, that is 1048576 bytes. */
#define PIPE_DEFAULT_BLOCK_SIZE ((uint64_t)1 << 20)
/* Blocks grow for records longer than a block, up to this (as parallel). */
#define PIPE_MAX_BLOCK_SIZE ((uint64_t)2147483647)

struct pipe_settings {
	uint64_t block_size;     /* --block: bytes read for one block */
	const char *recstart;    /* --recstart as given (\n \t \r \0 \\ escapes), or NULL */
	const char *recend;      /* --recend as given, or NULL: "\n" unless --recstart is given */
	int records_per_block;   /* -N: records per block instead of a size; 0: by size */
	int header_lines;        /* lines at the start repeated before every block; 0: none */
};

/* --block SIZE: a number with GNU parallel's unit prefixes (k m g t p:
 * powers of 1000; K M G T P: powers of 1024).  0, or -1 when it is not a
 * size from 1 byte to PIPE_MAX_BLOCK_SIZE. */
int pipe_parse_block_size(const char *text, uint64_t *size);

/* --pipe: cut the stream fd (owned by the source from then on) into
 * blocks, reading without blocking.  *feed is what the pool's jobs read
 * (the header, the blocks); it lives as long as the source. */
struct items *pipe_items_from_stream(int fd, const struct pipe_settings *settings,
				     const struct feed_source **feed);
/* --pipepart: split the regular file fd (owned from then on) into blocks
 * by seeking, reading only around the cuts; each item names a range of
 * the file.  NULL with a message in error when fd is not seekable. */
struct items *pipe_items_from_file(int fd, const struct pipe_settings *settings,
				   const struct feed_source **feed, char *error, size_t size);

#endif
