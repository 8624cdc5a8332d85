/* sources_shuffle.c - --shuf: every item is read first (the pool waits for
 * the input through the loop as usual), then handed out in random order,
 * as GNU parallel generates all jobs and shuffles them before running. */
#include "sources.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "xalloc.h"

struct shuffle {
	struct items *inner;   /* the items in input order, until they have ended */
	char *bytes;           /* every item, each followed by a NUL */
	size_t used, capacity; /* bytes in use and allocated */
	struct shuffled {
		size_t offset, length;
	} *order;              /* the items, shuffled once the input has ended */
	size_t count, order_capacity;
	size_t handed_out;     /* items handed out so far */
	size_t limit;          /* what may be held, bytes plus per-item cost */
	bool shuffled;         /* the input has ended and order is shuffled */
	bool too_big;          /* the input passed the limit */
	uint64_t random_state; /* xorshift64 state, never 0 */
};

static uint64_t next_random(struct shuffle *shuffle)
{
	uint64_t x = shuffle->random_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return shuffle->random_state = x;
}

/* A uniform index below bound, without modulo bias. */
static size_t random_below(struct shuffle *shuffle, size_t bound)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
	uint64_t value;

	do
		value = next_random(shuffle);
	while (value >= limit);
	return (size_t)(value % bound);
}

/* Fisher-Yates over the items read. */
static void shuffle_all(struct shuffle *shuffle)
{
	for (size_t index = shuffle->count; index > 1; index--) {
		size_t other = random_below(shuffle, index);
		struct shuffled swap = shuffle->order[index - 1];
		shuffle->order[index - 1] = shuffle->order[other];
		shuffle->order[other] = swap;
	}
	shuffle->shuffled = true;
}

static int keep(struct shuffle *shuffle, const char *text, size_t len)
{
	size_t held = shuffle->used + shuffle->count * SOURCES_HELD_ITEM_COST;

	if (held + len + 1 + SOURCES_HELD_ITEM_COST > shuffle->limit)
		return -1;
	if (shuffle->used + len + 1 > shuffle->capacity)
		xgrow(&shuffle->bytes, &shuffle->capacity, shuffle->used + len + 1, 1);
	if (shuffle->count == shuffle->order_capacity)
		xgrow(&shuffle->order, &shuffle->order_capacity, shuffle->count + 1, sizeof *shuffle->order);
	memcpy(shuffle->bytes + shuffle->used, text, len);
	shuffle->bytes[shuffle->used + len] = '\0';
	shuffle->order[shuffle->count++] = (struct shuffled){ .offset = shuffle->used, .length = len };
	shuffle->used += len + 1;
	return 0;
}

static enum items_status shuffle_next(void *state, const char **text, size_t *len)
{
	struct shuffle *shuffle = state;

	while (!shuffle->shuffled) {
		const char *item;
		size_t item_len;
		enum items_status status = items_next(shuffle->inner, &item, &item_len);
		if (status == ITEMS_END) {
			shuffle_all(shuffle);
			break;
		}
		if (status != ITEMS_READY)
			return status;
		if (keep(shuffle, item, item_len) < 0) {
			shuffle->too_big = true;
			return ITEMS_ERROR;
		}
	}
	if (shuffle->too_big)
		return ITEMS_ERROR;
	if (shuffle->handed_out == shuffle->count)
		return ITEMS_END;
	const struct shuffled *next = &shuffle->order[shuffle->handed_out++];
	*text = shuffle->bytes + next->offset;
	*len = next->length;
	return ITEMS_READY;
}

static int shuffle_fd(const void *state)
{
	const struct shuffle *shuffle = state;
	return shuffle->shuffled ? -1 : items_fd(shuffle->inner);
}

static int64_t shuffle_total(const void *state)
{
	const struct shuffle *shuffle = state;
	return shuffle->shuffled ? (int64_t)shuffle->count : items_total(shuffle->inner);
}

static int shuffle_error(const void *state, char *error, size_t size)
{
	const struct shuffle *shuffle = state;

	if (shuffle->too_big) {
		snprintf(error, size, "--shuf holds every item in memory, at most %zu MiB: there are more "
			 "(%zu read); nothing was run", shuffle->limit >> 20, shuffle->count);
		return -1;
	}
	return items_error(shuffle->inner, error, size);
}

static uint64_t shuffle_nul_warning(void *state)
{
	struct shuffle *shuffle = state;
	return items_take_nul_warning(shuffle->inner);
}

static void shuffle_free(void *state)
{
	struct shuffle *shuffle = state;
	items_free(shuffle->inner);
	free(shuffle->bytes);
	free(shuffle->order);
	free(shuffle);
}

static const struct items_ops shuffle_ops = {
	.next = shuffle_next,
	.fd = shuffle_fd,
	.total = shuffle_total,
	.error = shuffle_error,
	.take_nul_warning = shuffle_nul_warning,
	.free = shuffle_free,
};

static uint64_t random_seed(void)
{
	uint64_t seed = 0;

	if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != (ssize_t)sizeof seed)
		seed = (uint64_t)time(NULL) * 6364136223846793005u ^ (uint64_t)getpid();
	return seed ? seed : 0x9e3779b97f4a7c15u;
}

struct items *sources_shuffle(struct items *inner, size_t limit, uint64_t seed)
{
	struct shuffle *shuffle = xcalloc(1, sizeof *shuffle);

	shuffle->inner = inner;
	shuffle->limit = limit ? limit : SOURCES_HELD_MAX;
	shuffle->random_state = seed ? seed : random_seed();
	return items_from_ops(&shuffle_ops, shuffle);
}
