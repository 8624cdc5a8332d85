/* settings.h - the settings file, $XDG_CONFIG_HOME/pooltop/pooltoprc
 * (~/.config/pooltop/pooltoprc by default): `key=value` lines, `#`
 * comments, blank lines.  It holds what a person chose on the screen (the
 * worker table's columns, the refresh interval) so the next run starts the
 * same way.  No curses; the TUI reads and writes it. */
#ifndef POOLTOP_SETTINGS_H
#define POOLTOP_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

/* Most columns the `columns` key can name (bits of columns_shown). */
#define SETTINGS_COLUMNS_MAX 32

/* Shortest and longest refresh interval accepted, in seconds. */
#define SETTINGS_REFRESH_MIN 0.1
#define SETTINGS_REFRESH_MAX 3600.0

struct settings {
	bool refresh_set;          /* the file said `refresh` */
	double refresh;            /* seconds between screen updates */
	bool columns_set;          /* the file said `columns` */
	unsigned long columns_shown;  /* bit i: column i of the names given is shown */
};

/* The names the `columns` key may use, in table order (the worker table's
 * column titles); matched without regard to case. */
struct settings_columns {
	const char *const *names;
	size_t count;              /* at most SETTINGS_COLUMNS_MAX */
};

/* Reads a settings file's text.  Returns 0 with *settings filled, or -1
 * with *settings empty and error holding "LINE: what is wrong" for the
 * first broken line (a broken file is ignored as a whole). */
int settings_parse(const char *text, size_t length, const struct settings_columns *columns,
		   struct settings *settings, char *error, size_t size);

/* Writes settings as the file's text (with a comment saying what it is).
 * Returns the length, or -1 when size is too small. */
int settings_format(const struct settings *settings, const struct settings_columns *columns,
		    char *out, size_t size);

/* Where the settings file is: $XDG_CONFIG_HOME/pooltop/pooltoprc, else
 * $HOME/.config/pooltop/pooltoprc (malloc'd); NULL when neither is set. */
char *settings_path(void);

/* Reads the file at path.  Returns 0 when read, 1 when there is no such
 * file (*settings empty), -1 when it is broken or unreadable: error says
 * why ("PATH:LINE: what"), *settings is empty. */
int settings_load(const char *path, const struct settings_columns *columns,
		  struct settings *settings, char *error, size_t size);

/* Writes the file at path, making its directory if needed, replacing it
 * whole (a new file renamed over the old).  0, or -1 with error set. */
int settings_save(const char *path, const struct settings *settings,
		  const struct settings_columns *columns, char *error, size_t size);

#endif
