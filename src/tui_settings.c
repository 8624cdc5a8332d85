/* tui_settings.c - the interface's side of the settings file: which of
 * the worker table's columns show and the refresh interval, read when the
 * interface starts and saved when the setup list (c) changed them. */
#include "tui_state.h"

#include <stdio.h>

#include "settings.h"

/* The refresh intervals the setup screen steps through. */
static const double refresh_steps[] = { 0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 30, 60 };
#define REFRESH_STEPS (sizeof refresh_steps / sizeof refresh_steps[0])

static void settings_columns_of_table(const char **names, struct settings_columns *columns)
{
	size_t count = tui_worker_table.count < SETTINGS_COLUMNS_MAX ? tui_worker_table.count
								      : SETTINGS_COLUMNS_MAX;
	for (size_t i = 0; i < count; i++)
		names[i] = tui_worker_table.columns[i].title;
	*columns = (struct settings_columns){ names, count };
}

/* Reads the settings file, if there is one to read: its columns and (unless
 * --refresh said otherwise) its refresh interval.  A broken file is told
 * on the message line and ignored. */
void tui_settings_apply(struct tui *tui)
{
	if (!tui->settings_path)
		return;
	const char *names[SETTINGS_COLUMNS_MAX];
	struct settings_columns columns;
	settings_columns_of_table(names, &columns);
	struct settings settings;
	char error[512];
	if (settings_load(tui->settings_path, &columns, &settings, error, sizeof error) < 0) {
		char text[600];
		snprintf(text, sizeof text, "settings ignored: %s", error);
		tui_message_set(tui, text, true);
		return;
	}
	if (settings.columns_set && settings.columns_shown)
		tui->columns_hidden = ~settings.columns_shown & ((1UL << columns.count) - 1);
	tui->file_refresh = settings.refresh_set ? settings.refresh : 0;
	if (settings.refresh_set && !tui->config.refresh_given)
		tui->config.refresh = settings.refresh;
}

void tui_settings_store(struct tui *tui)
{
	if (!tui->settings_path) {
		tui_message_set(tui, "changed for this run only (--no-config)", false);
		return;
	}
	const char *names[SETTINGS_COLUMNS_MAX];
	struct settings_columns columns;
	settings_columns_of_table(names, &columns);
	/* A --refresh of this run is not kept, unless changed here. */
	struct settings settings = {
		.refresh_set = tui->file_refresh > 0, .refresh = tui->file_refresh,
		.columns_set = true,
		.columns_shown = ~tui->columns_hidden & ((1UL << columns.count) - 1),
	};
	char error[512], text[600];
	if (settings_save(tui->settings_path, &settings, &columns, error, sizeof error) < 0) {
		tui_message_set(tui, error, true);
		return;
	}
	snprintf(text, sizeof text, "settings saved in %s", tui->settings_path);
	tui_message_set(tui, text, false);
}

/* The next step of the refresh interval up (direction 1) or down (-1). */
void tui_refresh_step(struct tui *tui, int direction)
{
	double now = tui->config.refresh, chosen = now;
	for (size_t i = 0; i < REFRESH_STEPS; i++) {
		double step = refresh_steps[i];
		if (direction > 0 && step > now + 1e-9) {
			chosen = step;
			break;
		}
		if (direction < 0 && step < now - 1e-9)
			chosen = step;
	}
	if (chosen != now) {
		tui->setup_changed = true;
		tui->file_refresh = chosen;
	}
	tui->config.refresh = chosen;
}
