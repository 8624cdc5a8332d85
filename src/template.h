/* template.h - the command template: GNU parallel placeholders ({} {.}
 * {/} {//} {/.} {#} {%}, positional {1} {-1} {2/.} ...), shell quoting for
 * shell command lines, and argv building for one item of one or more
 * arguments. */
#ifndef POOLTOP_TEMPLATE_H
#define POOLTOP_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct template;

/* argv[0..argc-1] is the command as given.  With shell, the words are
 * joined by spaces into one sh -c script and each placeholder is replaced
 * by a shell-quoted value.  A command of one word holding shell syntax
 * (blanks, ; | & < > $ quotes...) is such a script too, as GNU parallel
 * reads it.  Without any placeholder, each argument of the item is
 * appended as one more argument (with shell: appended quoted, after a
 * space).  A construct pooltop refuses (see template_check) still gives a
 * template, which treats it as literal text. */
struct template *template_new(char *const *argv, int argc, bool shell);

/* How several arguments of one job fill the words holding {} (and {.}
 * {/} ...): TEMPLATE_SPREAD gives them all, separated (-m, and the
 * default), TEMPLATE_CONTEXT repeats the whole word once per argument
 * (-X, context replace). */
enum template_fill { TEMPLATE_SPREAD, TEMPLATE_CONTEXT };

struct template_options {
	bool shell;               /* --shell: always sh -c */
	const char *replace;      /* -I STR: STR stands for {}; NULL for {} */
	enum template_fill fill;  /* -X or not */
	bool no_append;           /* --pipe: the item is stdin: nothing is appended */
};
struct template *template_new_with(char *const *argv, int argc, const struct template_options *options);
void template_free(struct template *template);

/* 0, or -1 with one line in error naming a construct the template holds
 * that GNU parallel gives a meaning pooltop does not ({= perl =}, --plus
 * placeholders, {0}...), and the pooltop way where there is one. */
int template_check(const struct template *template, char *error, size_t size);
/* 0, or -1 with one line in error when a positional placeholder refers
 * beyond the `args` arguments a job has ({3} or {-3} with two). */
int template_check_positions(const struct template *template, int args, char *error, size_t size);
/* Whether the command runs as sh -c script (--shell or one word of shell
 * syntax). */
bool template_uses_shell(const struct template *template);

/* The argv for one job: a NULL-terminated array in one malloc'd block
 * (free it with free()).  item holds the job's arguments separated by NUL
 * bytes (ITEMS_ARG_SEPARATOR); seq and slot are 1-based.  A positional
 * placeholder beyond the item's arguments is empty.  Never NULL. */
char **template_argv(const struct template *template, const char *item, size_t item_len,
		     uint64_t seq, int slot);

/* The size of the command for item as job seq, as the kernel counts it
 * against the argument limit (each argv word and its NUL), {%} counted at
 * its widest: for sources that fill a command line up to a limit. */
size_t template_length(const struct template *template, const char *item, size_t item_len, uint64_t seq);
/* At most the bytes one more argument arg adds to template_length() of an
 * item of at least one argument, unless template_extra_length_holds() is
 * false: {-2} and further from the end take the value of their
 * neighbour, and a word -X repeats that also holds a position changes in
 * every repetition, which only template_length() can tell. */
size_t template_extra_length(const struct template *template, const char *arg, size_t arg_len,
			     uint64_t seq);
bool template_extra_length_holds(const struct template *template);

/* The argv joined for display (words containing special characters are
 * shell-quoted); malloc'd. */
char *template_join(char *const *argv);

/* Append s (len bytes) to out as one shell word in single quotes;
 * returns the new length.  out must have room for 4*len+3 bytes.
 * (It writes at out itself and NUL-terminates: the length returned is
 * that of the quoted word, so `cursor += template_shell_quote(...)`.) */
size_t template_shell_quote(char *out, const char *s, size_t len);

#endif
