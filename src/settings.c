/* settings.c - the settings file (see settings.h): a parser that names the
 * first broken line, the writer, and where the file lives. */
#include "settings.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* A settings file larger than this is not one. */
#define SETTINGS_FILE_MAX (64 * 1024)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* [*start, *end) without blanks at either end. */
static void trim(const char **start, const char **end)
{
	while (*start < *end && is_blank(**start))
		(*start)++;
	while (*end > *start && is_blank((*end)[-1]))
		(*end)--;
}

static int refresh_parse(const char *value, size_t length, double *refresh)
{
	char text[32];
	if (length == 0 || length >= sizeof text)
		return -1;
	memcpy(text, value, length);
	text[length] = '\0';
	if (text[0] < '0' || text[0] > '9')
		return -1;
	char *end;
	errno = 0;
	double seconds = strtod(text, &end);
	if (errno || *end || !(seconds >= SETTINGS_REFRESH_MIN) || seconds > SETTINGS_REFRESH_MAX)
		return -1;
	*refresh = seconds;
	return 0;
}

/* The index of the column named name[0..length), or -1. */
static int column_find(const struct settings_columns *columns, const char *name, size_t length)
{
	for (size_t i = 0; i < columns->count && i < SETTINGS_COLUMNS_MAX; i++)
		if (strlen(columns->names[i]) == length && !strncasecmp(columns->names[i], name, length))
			return (int)i;
	return -1;
}

/* "SLOT, PID,ITEM": the columns shown, at least one. */
static int columns_parse(const struct settings_columns *columns, const char *value, size_t length,
			 unsigned long *shown, char *error, size_t size)
{
	const char *end = value + length;
	*shown = 0;
	while (value <= end) {
		const char *comma = memchr(value, ',', (size_t)(end - value));
		const char *name = value, *name_end = comma ? comma : end;
		trim(&name, &name_end);
		if (name == name_end) {
			snprintf(error, size, "an empty column name");
			return -1;
		}
		int index = column_find(columns, name, (size_t)(name_end - name));
		if (index < 0) {
			snprintf(error, size, "no column is called '%.*s'", (int)(name_end - name > 40 ? 40 : name_end - name), name);
			return -1;
		}
		*shown |= 1UL << index;
		if (!comma)
			break;
		value = comma + 1;
	}
	return 0;
}

/* One line, without its newline: blank, a comment or key=value. */
static int line_parse(const char *line, const char *end, const struct settings_columns *columns,
		      struct settings *settings, char *error, size_t size)
{
	trim(&line, &end);
	if (line == end || *line == '#')
		return 0;
	const char *equals = memchr(line, '=', (size_t)(end - line));
	if (!equals) {
		snprintf(error, size, "expected key=value");
		return -1;
	}
	const char *key = line, *key_end = equals, *value = equals + 1, *value_end = end;
	trim(&key, &key_end);
	trim(&value, &value_end);
	size_t key_length = (size_t)(key_end - key), value_length = (size_t)(value_end - value);
	if (key_length == 7 && !memcmp(key, "refresh", 7)) {
		if (refresh_parse(value, value_length, &settings->refresh) < 0) {
			snprintf(error, size, "refresh wants seconds from %g to %g", SETTINGS_REFRESH_MIN,
				 SETTINGS_REFRESH_MAX);
			return -1;
		}
		settings->refresh_set = true;
		return 0;
	}
	if (key_length == 7 && !memcmp(key, "columns", 7)) {
		if (columns_parse(columns, value, value_length, &settings->columns_shown, error, size) < 0)
			return -1;
		settings->columns_set = true;
		return 0;
	}
	snprintf(error, size, "unknown key '%.*s'", (int)(key_length > 40 ? 40 : key_length), key);
	return -1;
}

int settings_parse(const char *text, size_t length, const struct settings_columns *columns,
		   struct settings *settings, char *error, size_t size)
{
	*settings = (struct settings){ 0 };
	const char *end = text + length;
	int number = 1;
	for (const char *line = text; line < end; number++) {
		const char *newline = memchr(line, '\n', (size_t)(end - line));
		const char *line_end = newline ? newline : end;
		char what[160];
		int failed = memchr(line, '\0', (size_t)(line_end - line)) != NULL;
		if (failed)
			snprintf(what, sizeof what, "a NUL byte");
		else
			failed = line_parse(line, line_end, columns, settings, what, sizeof what) < 0;
		if (failed) {
			*settings = (struct settings){ 0 };
			snprintf(error, size, "%d: %s", number, what);
			return -1;
		}
		line = newline ? newline + 1 : end;
	}
	return 0;
}

int settings_format(const struct settings *settings, const struct settings_columns *columns,
		    char *out, size_t size)
{
	size_t used = 0;
	int n = snprintf(out, size,
			 "# pooltop settings, written by pooltop (c in the terminal interface).\n"
			 "# key=value lines; see FILES in pooltop(1).\n");
	if (n < 0 || (size_t)n >= size)
		return -1;
	used = (size_t)n;
	if (settings->refresh_set) {
		n = snprintf(out + used, size - used, "refresh=%g\n", settings->refresh);
		if (n < 0 || (size_t)n >= size - used)
			return -1;
		used += (size_t)n;
	}
	if (settings->columns_set) {
		n = snprintf(out + used, size - used, "columns=");
		if (n < 0 || (size_t)n >= size - used)
			return -1;
		used += (size_t)n;
		bool first = true;
		for (size_t i = 0; i < columns->count && i < SETTINGS_COLUMNS_MAX; i++) {
			if (!(settings->columns_shown & (1UL << i)))
				continue;
			n = snprintf(out + used, size - used, "%s%s", first ? "" : ",", columns->names[i]);
			if (n < 0 || (size_t)n >= size - used)
				return -1;
			used += (size_t)n;
			first = false;
		}
		n = snprintf(out + used, size - used, "\n");
		if (n < 0 || (size_t)n >= size - used)
			return -1;
		used += (size_t)n;
	}
	return (int)used;
}

char *settings_path(void)
{
	const char *config = getenv("XDG_CONFIG_HOME");
	/* The XDG rule: a relative value is ignored. */
	if (config && config[0] == '/')
		return xasprintf("%s/pooltop/pooltoprc", config);
	const char *home = getenv("HOME");
	if (home && home[0])
		return xasprintf("%s/.config/pooltop/pooltoprc", home);
	return NULL;
}

int settings_load(const char *path, const struct settings_columns *columns,
		  struct settings *settings, char *error, size_t size)
{
	*settings = (struct settings){ 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		snprintf(error, size, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *text = xmalloc(SETTINGS_FILE_MAX + 1);
	size_t length = 0;
	ssize_t got = 0;
	while (length <= SETTINGS_FILE_MAX &&
	       ((got = read(fd, text + length, SETTINGS_FILE_MAX + 1 - length)) > 0 ||
		(got < 0 && errno == EINTR)))
		length += got > 0 ? (size_t)got : 0;
	int read_errno = errno;
	close(fd);
	int status = 0;
	char what[200];
	if (got < 0) {
		snprintf(error, size, "%s: %s", path, strerror(read_errno));
		status = -1;
	} else if (length > SETTINGS_FILE_MAX) {
		snprintf(error, size, "%s: larger than %d bytes", path, SETTINGS_FILE_MAX);
		status = -1;
	} else if (settings_parse(text, length, columns, settings, what, sizeof what) < 0) {
		snprintf(error, size, "%s:%s", path, what);
		status = -1;
	}
	free(text);
	return status;
}

/* mkdir -p of the directories above path's file. */
static int directories_make(const char *path)
{
	char *copy = xstrdup(path);
	int status = 0;
	for (char *slash = strchr(copy + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
			status = -1;
			break;
		}
		*slash = '/';
	}
	free(copy);
	return status;
}

int settings_save(const char *path, const struct settings *settings,
		  const struct settings_columns *columns, char *error, size_t size)
{
	char text[2048];
	int length = settings_format(settings, columns, text, sizeof text);
	if (length < 0) {
		snprintf(error, size, "%s: the settings do not fit", path);
		return -1;
	}
	if (directories_make(path) < 0) {
		snprintf(error, size, "cannot make the directory of %s: %s", path, strerror(errno));
		return -1;
	}
	char *temporary = xasprintf("%s.new.%ld", path, (long)getpid());
	int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int status = fd < 0 ? -1 : 0;
	const char *cursor = text;
	size_t left = (size_t)length;
	while (status == 0 && left > 0) {
		ssize_t wrote = write(fd, cursor, left);
		if (wrote < 0 && errno == EINTR)
			continue;
		if (wrote <= 0) {
			status = -1;
			break;
		}
		cursor += wrote;
		left -= (size_t)wrote;
	}
	if (fd >= 0 && close(fd) < 0)
		status = -1;
	if (status == 0 && rename(temporary, path) < 0)
		status = -1;
	if (status < 0) {
		int write_errno = errno;
		snprintf(error, size, "cannot write %s: %s", path, strerror(write_errno));
		if (fd >= 0)
			unlink(temporary);
	}
	free(temporary);
	return status;
}
