/* slf.h - --slf/--sshloginfile: GNU parallel's file of logins, one per
 * line ('#' comments and blank lines ignored), read at the start and
 * again whenever it changes (checked once a second), so that hosts are
 * added and drained while the run goes on. */
#ifndef POOLTOP_SLF_H
#define POOLTOP_SLF_H

#include <stddef.h>

#include "loop.h"
#include "pool.h"

struct slf;

/* Reads path (or ~/.parallel/NAME when a plain NAME is not here, as GNU
 * parallel looks for it).  NULL with a message in error. */
struct slf *slf_open(const char *path, char *error, size_t size);
void slf_free(struct slf *slf);

/* The logins of the last reading, in the file's order. */
size_t slf_count(const struct slf *slf);
const char *slf_login(const struct slf *slf, size_t index);

/* From now on, once a second: when the file changed, a login that came
 * is added to the pool (host add), one that went is drained (host
 * drain); what happened goes to the pool's messages. */
void slf_watch(struct slf *slf, struct loop *loop, struct pool *pool);

/* The lines of text that are logins, exposed for tests: calls fn for each
 * one, trimmed. */
void slf_parse(const char *text, size_t len, void (*fn)(void *data, const char *login), void *data);

#endif
