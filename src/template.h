/* template.h - the command template: GNU parallel placeholders ({} {.}
 * {/} {//} {/.} {#} {%}), shell quoting for --shell, and argv building
 * for one item. */
#ifndef POOLTOP_TEMPLATE_H
#define POOLTOP_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct template;

/* argv[0..argc-1] is the command as given.  With shell, the words are
 * joined by spaces into one sh -c script and each placeholder is replaced
 * by a shell-quoted value.  Without any placeholder, the item is appended
 * as one more argument (with shell: appended quoted, after a space). */
struct template *template_new(char *const *argv, int argc, bool shell);
void template_free(struct template *template);
/* --pipe: the item is the job's stdin, not an argument.  As template_new,
 * but nothing is appended; give template_argv an empty item, so that {}
 * stands for nothing, as in GNU parallel. */
struct template *template_new_without_item(char *const *argv, int argc, bool shell);

/* The argv for one job: a NULL-terminated array in one malloc'd block
 * (free it with free()).  seq and slot are 1-based.  Never NULL. */
char **template_argv(const struct template *template, const char *item, size_t item_len,
		     uint64_t seq, int slot);
/* The argv joined for display (words containing special characters are
 * shell-quoted); malloc'd. */
char *template_join(char *const *argv);

/* Append s (len bytes) to out as one shell word in single quotes;
 * returns the new length.  out must have room for 4*len+3 bytes.
 * (It writes at out itself and NUL-terminates: the length returned is
 * that of the quoted word, so `cursor += template_shell_quote(...)`.) */
size_t template_shell_quote(char *out, const char *s, size_t len);

#endif
