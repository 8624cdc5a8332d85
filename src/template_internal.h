/* template_internal.h - the parsed form of a command template, shared by
 * template_parse.c (which builds it from the command's words) and
 * template.c (which builds each job's argv from it). */
#ifndef POOLTOP_TEMPLATE_INTERNAL_H
#define POOLTOP_TEMPLATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "template.h"

enum segment_kind {
	SEGMENT_LITERAL,   /* a piece of the command as given */
	SEGMENT_ARGS,      /* {} {.} {/} {//} {/.} and {N} {-N} with modifiers */
	SEGMENT_SEQUENCE,  /* {#} */
	SEGMENT_SLOT,      /* {%} */
};

/* What a placeholder makes of one argument. */
enum modifier {
	MODIFIER_NONE,                   /* {}   the argument */
	MODIFIER_NO_EXTENSION,           /* {.}  without its last extension */
	MODIFIER_BASENAME,               /* {/}  */
	MODIFIER_DIRNAME,                /* {//} */
	MODIFIER_BASENAME_NO_EXTENSION,  /* {/.} */
};

/* One piece of one word. */
struct segment {
	enum segment_kind kind;
	enum modifier modifier;  /* SEGMENT_ARGS: what it makes of an argument */
	int position;            /* SEGMENT_ARGS: 0 for every argument, N for the
				    Nth, -N for the Nth from the end */
	const char *text;        /* SEGMENT_LITERAL: the text (not NUL-terminated) */
	size_t length;           /* its length */
	bool quoted;             /* the value is substituted shell-quoted */
};

/* A run of segments written together: an argv word, or in a shell
 * script one blank-separated word (or run of blanks) of the script. */
struct word {
	size_t first;      /* index of its first segment */
	size_t count;      /* its segments */
	bool repeated;     /* -X: written once per argument */
	bool ends_argv;    /* an argv word ends after it */
};

struct template {
	struct segment *segments;  /* every segment, in order */
	size_t segment_count;
	struct word *words;        /* every word, in order */
	size_t word_count;
	bool shell;                /* the argv is sh -c SCRIPT */
	char *storage;             /* the command's text, which literals point into */
	char refusal[256];         /* the first construct refused, or "" */
	int farthest;              /* the largest |N| of a {N} or {-N}, else 0 */
	const char *farthest_text; /* that placeholder as written */
	size_t farthest_length;
};

#endif
