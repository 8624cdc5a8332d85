/* sources.h - GNU parallel's input sources: ::: words, :::: and -a files
 * (- is standard input) and --range, combined as parallel combines them
 * (every combination, the last source varying fastest; :::+ and ::::+ pair
 * a source with the one before it; --link pairs them all), cut into
 * columns (--colsep, --trim), each with a header line (--header), and in
 * random order (--shuf).  The result is one struct items whose items hold
 * one argument per source or column, separated by ITEMS_ARG_SEPARATOR. */
#ifndef POOLTOP_SOURCES_H
#define POOLTOP_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "items.h"

/* More input sources than this are refused (their combinations would be
 * more than any run could go through anyway). */
#define SOURCES_MAX 64
/* The sources after the first are read whole and held, to be combined
 * with each item of the first; --shuf holds every combination.  What is
 * held (item bytes plus SOURCES_HELD_ITEM_COST per item) may not pass
 * this, so that a mistaken source cannot eat the machine's memory. */
#define SOURCES_HELD_MAX ((size_t)256 << 20)
#define SOURCES_HELD_ITEM_COST 16

enum source_type {
	SOURCE_WORDS,   /* ::: WORD... */
	SOURCE_FILE,    /* :::: FILE or -a FILE, one item per line */
	SOURCE_RANGE,   /* --range A..B[..STEP] */
};

struct source_spec {
	enum source_type type;
	bool linked;        /* :::+ or ::::+: paired with the source before it */
	char **words;       /* SOURCE_WORDS: the words, not copied */
	int word_count;
	const char *path;   /* SOURCE_FILE: its name, "-" for standard input */
	int64_t first, last, step;  /* SOURCE_RANGE */
};

struct sources_config {
	struct source_spec specs[SOURCES_MAX];  /* in parallel's order */
	int count;            /* 0: standard input is the one source */
	bool link;            /* --link (--xapply): all sources paired, wrapping */
	char delimiter;       /* between items in files: '\n', '\0' or -d's */
	size_t max_length;    /* longest item read from a file, 0 for no limit */
	const char *colsep;   /* --colsep REGEX (Perl syntax), or NULL */
	const char *trim;     /* --trim n|l|r|lr|rl, or NULL: lr with columns, else n */
	const char *header;   /* --header ":" or REGEX, or NULL */
	bool shuffle;         /* --shuf */
	size_t held_limit;    /* what may be held (see SOURCES_HELD_MAX); 0: that */
};

/* Checks what options.c can check before anything is opened: the
 * --colsep and --header regular expressions and --trim.  0, or -1 with a
 * message for the user in error. */
int sources_check_config(const struct sources_config *config, char *error, size_t size);

struct sources;

/* Opens every source, reads the held ones and every source's header line
 * (standard input, when it is a source, is taken over: jobs get
 * /dev/null).  NULL with a message for the user in error when a file
 * cannot be read, a held source passes the limit or a header line does
 * not match. */
struct sources *sources_open(const struct sources_config *config, char *error, size_t size);
/* The descriptor of one input file for a reader of its own (--pipe):
 * path, or pooltop's copy of standard input for "-" or NULL (the jobs
 * then get /dev/null).  -1 with a message in error. */
int sources_open_fd(const char *path, char *error, size_t size);
/* The command words with --header's names turned into positions ({name}
 * into {3}, {name.} into {3.}, and so on); a new vector of new strings,
 * for sources_free_words. */
char **sources_rename_placeholders(const struct sources *sources, char **words, int count);
void sources_free_words(char **words, int count);
/* How many arguments each item holds, or -1 when it varies (columns). */
int sources_argument_count(const struct sources *sources);
/* The items: the sources are the items' from now on (items_free frees
 * them). */
struct items *sources_items(struct sources *sources);

/* --- exposed for tests ---------------------------------------------------- */

/* A source that hands out items whole once its source has ended, in random
 * order (--shuf).  Holds at most limit bytes (see SOURCES_HELD_MAX); takes
 * over inner.  seed 0: a random one. */
struct items *sources_shuffle(struct items *inner, size_t limit, uint64_t seed);

#endif
