/* tui.c - the live terminal interface (see tui.h).  Until the curses
 * front end lands, no terminal is taken and pooltop runs in batch mode. */
#include "tui.h"

struct tui *tui_open(struct loop *loop, struct pool *pool, struct control *control,
		     const struct tui_config *config)
{
	(void)loop;
	(void)pool;
	(void)control;
	(void)config;
	return NULL;
}

bool tui_owns_fd(const struct tui *tui, int fd) { (void)tui; (void)fd; return false; }
void tui_result(struct tui *tui, const struct pool_result *result) { (void)tui; (void)result; }
void tui_message(struct tui *tui, const char *text) { (void)tui; (void)text; }
bool tui_finished(struct tui *tui) { (void)tui; return false; }
void tui_resized(struct tui *tui) { (void)tui; }
void tui_suspend(struct tui *tui) { (void)tui; }
void tui_resume(struct tui *tui) { (void)tui; }
void tui_close(struct tui *tui) { (void)tui; }
