/* slf.c - the login file of --slf (see slf.h): parsed as GNU parallel
 * parses --sshloginfile, watched through the loop's timer (a stat once a
 * second), its changes turned into host add and host drain. */
#include "slf.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "remote.h"
#include "slot.h"
#include "xalloc.h"

/* Seconds between two looks at the file. */
#define SLF_CHECK_SECONDS 1.0
/* A login file larger than this is not one. */
#define SLF_MAX_BYTES (1024 * 1024)

struct login_list {
	char **logins;
	size_t count, cap;
};

struct slf {
	char *path;                /* the file found */
	struct stat seen;          /* its inode, size and time at the last reading */
	struct login_list logins;  /* of the last reading */
	struct loop *loop;
	struct pool *pool;
	uint64_t timer;
};

void slf_parse(const char *text, size_t len, void (*fn)(void *data, const char *login), void *data)
{
	const char *end = text + len;
	for (const char *line = text; line < end;) {
		const char *newline = memchr(line, '\n', (size_t)(end - line));
		const char *stop = newline ? newline : end;
		const char *start = line;
		while (start < stop && isspace((unsigned char)*start))
			start++;
		const char *last = stop;
		while (last > start && isspace((unsigned char)last[-1]))
			last--;
		if (last > start && *start != '#') {
			char *login = xstrndup(start, (size_t)(last - start));
			fn(data, login);
			free(login);
		}
		line = newline ? newline + 1 : end;
	}
}

static void list_add(void *data, const char *login)
{
	struct login_list *list = data;
	xgrow(&list->logins, &list->cap, list->count + 1, sizeof *list->logins);
	list->logins[list->count++] = xstrdup(login);
}

static void list_clear(struct login_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->logins[i]);
	free(list->logins);
	*list = (struct login_list){ 0 };
}

static bool list_has(const struct login_list *list, const char *login)
{
	for (size_t i = 0; i < list->count; i++)
		if (!strcmp(list->logins[i], login))
			return true;
	return false;
}

/* Reads the file into list; -1 with errno when it cannot be read. */
static int read_logins(const char *path, struct stat *st, struct login_list *list)
{
	FILE *file = fopen(path, "re");
	if (!file)
		return -1;
	char *text = NULL;
	size_t len = 0, cap = 0;
	char buffer[4096];
	size_t got;
	while ((got = fread(buffer, 1, sizeof buffer, file)) > 0 && len < SLF_MAX_BYTES) {
		xgrow(&text, &cap, len + got + 1, 1);
		memcpy(text + len, buffer, got);
		len += got;
	}
	int failed = ferror(file);
	if (fstat(fileno(file), st))
		failed = 1;
	fclose(file);
	if (failed) {
		free(text);
		errno = EIO;
		return -1;
	}
	slf_parse(text ? text : "", len, list_add, list);
	free(text);
	return 0;
}

struct slf *slf_open(const char *path, char *error, size_t size)
{
	struct slf *slf = xcalloc(1, sizeof *slf);
	slf->path = xstrdup(path);
	const char *home = getenv("HOME");
	if (access(path, F_OK) && !strchr(path, '/') && home) {
		free(slf->path);
		slf->path = xasprintf("%s/.parallel/%s", home, path);
	}
	if (read_logins(slf->path, &slf->seen, &slf->logins)) {
		snprintf(error, size, "cannot read the login file '%s': %s", path, strerror(errno));
		slf_free(slf);
		return NULL;
	}
	return slf;
}

void slf_free(struct slf *slf)
{
	if (!slf)
		return;
	if (slf->timer)
		loop_del_timer(slf->loop, slf->timer);
	list_clear(&slf->logins);
	free(slf->path);
	free(slf);
}

size_t slf_count(const struct slf *slf)
{
	return slf->logins.count;
}

const char *slf_login(const struct slf *slf, size_t index)
{
	return index < slf->logins.count ? slf->logins.logins[index] : NULL;
}

/* The login without its N/ slot count: how the host table names it. */
static const char *login_name(const char *login)
{
	const char *at = login;
	while (isdigit((unsigned char)*at))
		at++;
	return at > login && *at == '/' ? at + 1 : login;
}

static void host_change(struct slf *slf, const char *action, const char *login)
{
	char reply[512];
	remote_pool_host(slf->pool, action, login, reply, sizeof reply);
	pool_message(slf->pool, "%s: %s", slf->path, reply);
}

/* The file changed: what came is added, what went is drained. */
static void slf_reread(struct slf *slf)
{
	struct login_list now = { 0 };
	struct stat st;
	if (read_logins(slf->path, &st, &now)) {
		list_clear(&now);
		return;  /* being replaced, or gone: the hosts stay as they are */
	}
	slf->seen = st;
	for (size_t i = 0; i < now.count; i++)
		if (!list_has(&slf->logins, now.logins[i]))
			host_change(slf, "add", now.logins[i]);
	for (size_t i = 0; i < slf->logins.count; i++)
		if (!list_has(&now, slf->logins.logins[i]))
			host_change(slf, "drain", login_name(slf->logins.logins[i]));
	list_clear(&slf->logins);
	slf->logins = now;
}

static void slf_check(struct loop *loop, void *data)
{
	struct slf *slf = data;
	struct stat st;
	slf->timer = loop_add_timer(loop, SLF_CHECK_SECONDS, slf_check, slf);
	if (stat(slf->path, &st))
		return;
	if (st.st_ino != slf->seen.st_ino || st.st_dev != slf->seen.st_dev || st.st_size != slf->seen.st_size ||
	    st.st_mtim.tv_sec != slf->seen.st_mtim.tv_sec || st.st_mtim.tv_nsec != slf->seen.st_mtim.tv_nsec)
		slf_reread(slf);
}

void slf_watch(struct slf *slf, struct loop *loop, struct pool *pool)
{
	slf->loop = loop;
	slf->pool = pool;
	slf->timer = loop_add_timer(loop, SLF_CHECK_SECONDS, slf_check, slf);
}
