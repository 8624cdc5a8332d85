/* tui_overlay.c - the boxes drawn over the screen: the help (from the key
 * table), the detail of one slot (its item, command, process tree and
 * output tails) and the setup list of columns.  Drawing only, as in
 * tui_draw.c, whose helpers it shares through tui_state.h. */
#include "tui_state.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xalloc.h"

/* Bytes of a job's stdout and stderr the detail view shows at most. */
#define OUTPUT_TAIL_SIZE 4096

/* --- overlays ------------------------------------------------------------- */

/* Bytes of sanitized text s that fit in `width` columns, broken after a
 * space when there is one (at least one character, so wrapping always
 * moves on). */
static size_t wrap_length(const char *s, int width)
{
	size_t len = strlen(s), position = 0, after_space = 0;
	int used = 0;
	while (position < len) {
		int columns;
		size_t length = text_char_measure(s + position, len - position, &columns);
		if (used + columns > width && position > 0)
			return after_space ? after_space : position;
		used += columns;
		position += length;
		if (s[position - 1] == ' ')
			after_space = position;
	}
	return position;
}

struct box {
	int top, left, height, width;  /* the frame */
	int y;                         /* the next line to write inside it */
};

static void box_open(struct tui *tui, struct box *box, const char *title)
{
	box->top = 1;
	box->left = COLS > 84 ? (COLS - 80) / 2 : 1;
	box->width = COLS > 84 ? 80 : COLS - 2;
	box->height = LINES - 3 > 3 ? LINES - 3 : LINES;
	box->y = box->top + 1;
	tui_look_set(tui, LOOK_NORMAL);
	for (int y = box->top; y < box->top + box->height; y++)
		mvhline(y, box->left, ' ', box->width);
	mvhline(box->top, box->left, ACS_HLINE, box->width);
	mvhline(box->top + box->height - 1, box->left, ACS_HLINE, box->width);
	mvvline(box->top, box->left, ACS_VLINE, box->height);
	mvvline(box->top, box->left + box->width - 1, ACS_VLINE, box->height);
	mvaddch(box->top, box->left, ACS_ULCORNER);
	mvaddch(box->top, box->left + box->width - 1, ACS_URCORNER);
	mvaddch(box->top + box->height - 1, box->left, ACS_LLCORNER);
	mvaddch(box->top + box->height - 1, box->left + box->width - 1, ACS_LRCORNER);
	tui_look_set(tui, LOOK_TITLE);
	tui_text_put(box->top, box->left + 2, title, box->left + box->width - 2);
	tui_look_set(tui, LOOK_NORMAL);
}

static bool box_full(const struct box *box)
{
	return box->y >= box->top + box->height - 1;
}

/* Writes sanitized text inside the box from `indent` columns in, wrapped
 * at the box's width, each further line under the first. */
static void box_text_at(struct box *box, int indent, const char *text)
{
	int width = box->width - 4 - indent;
	if (width < 1)
		return;
	do {
		if (box_full(box))
			return;
		size_t length = wrap_length(text, width);
		char line[CELL_SIZE];
		snprintf(line, sizeof line, "%.*s", (int)length, text);
		mvaddstr(box->y++, box->left + 2 + indent, line);
		text += length;
	} while (*text);
}

static void box_text(struct box *box, const char *text)
{
	box_text_at(box, 0, text);
}

/* Writes a name and its text on a line of the box: the text from `column`
 * on, or two spaces after a longer name. */
static void box_pair(struct box *box, const char *name, const char *text, int column)
{
	if (box_full(box))
		return;
	int name_width = text_width(name);
	int text_x = name_width + 2 > column ? name_width + 2 : column;
	tui_text_put(box->y, box->left + 2, name, box->left + box->width - 2);
	if (box->width - 4 - text_x < 1) {
		box->y++;  /* too narrow for the text: the name alone */
		return;
	}
	box_text_at(box, text_x, text);
}

static void box_field(struct tui *tui, struct box *box, const char *name, const char *value)
{
	if (box_full(box))
		return;
	tui_look_set(tui, LOOK_NOTE);
	mvaddstr(box->y++, box->left + 2, name);
	tui_look_set(tui, LOOK_NORMAL);
	box_text(box, value[0] ? value : "-");
}

/* The name a person knows a key by: "Enter", "PgUp", "F1", "Ctrl-L", or
 * the character itself. */
static void key_label(int key, char *out, size_t size)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ '\r', "Enter" },     { '\n', "Enter" },        { KEY_ENTER, "Enter" },
		{ '\t', "Tab" },       { 27, "Esc" },            { ' ', "Space" },
		{ KEY_UP, "Up" },      { KEY_DOWN, "Down" },     { KEY_LEFT, "Left" },
		{ KEY_RIGHT, "Right" }, { KEY_PPAGE, "PgUp" },   { KEY_NPAGE, "PgDn" },
		{ KEY_HOME, "Home" },  { KEY_END, "End" },       { KEY_BACKSPACE, "Backspace" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].key == key) {
			snprintf(out, size, "%s", names[i].name);
			return;
		}
	}
	if (key >= KEY_F(1) && key <= KEY_F(63))
		snprintf(out, size, "F%d", key - KEY_F0);
	else if (key > 0 && key < ' ')
		snprintf(out, size, "Ctrl-%c", key + '@');
	else if (key > ' ' && key < 127)
		snprintf(out, size, "%c", key);
	else
		snprintf(out, size, "key %d", key);
}

/* The keys of one binding as the help shows them, "h ? F1": each name
 * once (Enter is three key codes), one space between them. */
static void binding_keys_name(const struct key_binding *binding, char *out, size_t size)
{
	char names[BINDING_KEYS_MAX][16];
	size_t count = 0, used = 0;
	out[0] = '\0';
	for (size_t k = 0; k < BINDING_KEYS_MAX && binding->keys[k]; k++) {
		key_label(binding->keys[k], names[count], sizeof names[count]);
		bool repeated = false;
		for (size_t before = 0; before < count; before++)
			repeated |= !strcmp(names[before], names[count]);
		if (repeated)
			continue;
		int n = snprintf(out + used, size - used, "%s%s", count ? " " : "", names[count]);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
		count++;
	}
}

/* Where the help texts start, unless the key names take more room. */
#define HELP_TEXT_COLUMN 12

/* One line per key binding, from the key table, then a few notes. */
void tui_help_draw(struct tui *tui)
{
	static const char *const notes[] = {
		"",
		"CPU% and RSS are of each job's whole process tree (the job",
		"and its descendants); 100% is one core.  Idle jobs out of",
		"sight are read every fifth refresh, the rest every refresh.",
		"TIME is the time on the current item; - means not known yet.",
		"In a job's detail, Up and Down choose a process of its tree",
		"and k sends it a signal (TERM, or one typed).",
		"",
		"Any key closes this help.",
	};
	struct box box;
	box_open(tui, &box, " pooltop keys ");
	for (size_t i = 0; i < tui_key_binding_count; i++) {
		char keys[96];
		binding_keys_name(&tui_key_bindings[i], keys, sizeof keys);
		box_pair(&box, keys, tui_key_bindings[i].help, HELP_TEXT_COLUMN);
	}
	for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
		box_text(&box, notes[i][0] ? notes[i] : " ");
}

static void detail_result_draw(struct tui *tui, struct box *box)
{
	const struct result_row *row = tui_model_result(&tui->model, tui->detail_result);
	if (!row) {
		box_text(box, "This result is no longer kept.");
		return;
	}
	char status[64], runtime[32], heading[160];
	tui_result_status(row, status, sizeof status);
	snprintf(heading, sizeof heading, "item #%" PRIu64 "  slot %d  pid %d  %s  %s  attempt %d",
		 row->seq, row->slot, (int)row->pid, status,
		 format_duration(runtime, sizeof runtime, row->runtime), row->attempt);
	box_text(box, heading);
	box_field(tui, box, "Item", row->item);
	box_field(tui, box, "First line of output", row->output);
	if (row->error[0])
		box_field(tui, box, "Error", row->error);
}

/* The last lines of an output tail that fit in `room` lines of the box. */
static void detail_tail_draw(struct tui *tui, struct box *box, const char *title, char *tail,
			     size_t length, int room)
{
	if (box_full(box) || room < 1)
		return;
	tui_look_set(tui, LOOK_NOTE);
	mvaddstr(box->y++, box->left + 2, title);
	tui_look_set(tui, LOOK_NORMAL);
	room--;
	while (length > 0 && tail[length - 1] == '\n')
		tail[--length] = '\0';
	if (length == 0) {
		if (room > 0)
			box_text(box, "-");
		return;
	}
	int left = box->top + box->height - 1 - box->y;
	room = room < left ? room : left;
	/* Walk back over `room` lines, then show them in order. */
	size_t start = length;
	for (int lines = 0; lines < room && start > 0; lines++) {
		char *newline = memrchr(tail, '\n', start - 1);
		start = newline ? (size_t)(newline - tail) + 1 : 0;
		if (!newline)
			break;
	}
	for (int lines = 0; start < length && lines < room && !box_full(box); lines++) {
		char *newline = memchr(tail + start, '\n', length - start);
		size_t line_length = newline ? (size_t)(newline - (tail + start)) : length - start;
		char line[CELL_SIZE];
		tui_text_fit(line, sizeof line, tail + start, line_length, box->width - 4);
		mvaddstr(box->y++, box->left + 2, line);
		start += line_length + 1;
	}
}

/* Does a later row of the tree sit at `level` under the same parent as
 * row `index`'s ancestor at that level (so a line goes on down)? */
static bool tree_level_continues(const struct process_tree *tree, size_t index, int level)
{
	for (size_t next = index + 1; next < tree->count; next++) {
		if (tree->rows[next].depth < level)
			return false;
		if (tree->rows[next].depth == level)
			return true;
	}
	return false;
}

/* The job's process tree, one row per process, indented by depth as a
 * tree view is, the cursor's process highlighted; at most `room` lines,
 * scrolled to keep the cursor in sight. */
static void detail_tree_draw(struct tui *tui, struct box *box, int room)
{
	const struct process_tree *tree = &tui->model.detail;
	if (box_full(box) || room < 2)
		return;
	int inner = box->width - 4, x = box->left + 2;
	tui_look_set(tui, LOOK_TITLE);
	mvhline(box->y, x, ' ', inner);
	char heading[128];
	snprintf(heading, sizeof heading, "%7s %s %6s %7s  %s", "PID", "S", "CPU%", "RSS",
		 "COMMAND (Up/Down choose, k signal)");
	tui_text_put(box->y++, x, heading, x + inner);
	tui_look_set(tui, LOOK_NORMAL);
	room--;
	if (!tree->count) {
		box_text(box, "no live process");
		return;
	}
	int top = 0;
	tui_scroll_settle(&top, tui->detail_row, room, (int)tree->count);
	for (int line = 0; line < room && top + line < (int)tree->count && !box_full(box); line++) {
		const struct process_row *row = &tree->rows[top + line];
		char cpu[16], rss[16], command[CELL_SIZE], cells[CELL_SIZE * 2];
		format_percent(cpu, sizeof cpu, row->cpu_percent);
		format_bytes(rss, sizeof rss, row->rss_bytes);
		int prefix = snprintf(cells, sizeof cells, "%7d %c %6s %7s  ", (int)row->pid,
				      row->state ? row->state : '?', cpu, rss);
		/* The tree's lines, as htop draws them: three columns a level. */
		int depth = row->depth < 12 ? row->depth : 12, used = prefix;
		for (int level = 1; level <= depth; level++) {
			bool more = tree_level_continues(tree, (size_t)(top + line), level);
			const char *piece = level < depth ? (more ? (tui->utf8 ? "\xe2\x94\x82  " : "|  ") : "   ")
							  : more ? (tui->utf8 ? "\xe2\x94\x9c\xe2\x94\x80 " : "|- ")
								 : (tui->utf8 ? "\xe2\x94\x94\xe2\x94\x80 " : "`- ");
			used += snprintf(cells + used, sizeof cells - (size_t)used, "%s", piece);
		}
		int command_width = inner - text_width(cells);
		tui_text_fit(command, sizeof command, row->command, strlen(row->command),
			     command_width > 1 ? command_width : 1);
		snprintf(cells + used, sizeof cells - (size_t)used, "%s", command);
		int y = box->y++;
		bool cursor = top + line == tui->detail_row;
		tui_look_set(tui, cursor ? LOOK_SELECTED : LOOK_NORMAL);
		if (cursor)
			mvhline(y, x, ' ', inner);
		tui_text_put(y, x, cells, x + inner);
		tui_look_set(tui, LOOK_NORMAL);
	}
}

static void detail_slot_draw(struct tui *tui, struct box *box)
{
	int index = -1;
	struct slot_view view;
	for (int i = 0; i < pool_slot_count(tui->pool); i++) {
		if (pool_slot_view(tui->pool, i, &view) && view.number == tui->detail_number) {
			index = i;
			break;
		}
	}
	if (index < 0) {
		box_text(box, "This slot has left the pool.");
		return;
	}
	if (view.seq != tui->detail_seq || !tui->detail_command) {
		/* The slot moved on to another item: read its command line again. */
		free(tui->detail_command);
		tui->detail_command = NULL;
		tui->detail_seq = view.seq;
		char *command = pool_slot_command(tui->pool, index);
		if (command) {
			/* Sanitized text is at most four bytes per byte (\xNN). */
			size_t size = strlen(command) * 4 + 1;
			tui->detail_command = xmalloc(size);
			text_sanitize(tui->detail_command, size, command, strlen(command), 0);
			free(command);
		}
	}
	char heading[160], item[RESULT_ITEM_SIZE * 4];
	snprintf(heading, sizeof heading, "slot %d  pid %d  %s  item #%" PRIu64, view.number,
		 (int)view.pid, tui_state_name(view.state), view.seq);
	box_text(box, heading);
	char *joined = text_join_args(view.item ? view.item : "", view.item ? view.item_len : 0);
	text_sanitize(item, sizeof item, joined, view.item ? view.item_len : 0, 0);
	free(joined);
	box_field(tui, box, "Item", item);
	box_field(tui, box, "Command line", tui->detail_command ? tui->detail_command : "");
	/* What is left: half for the tree, the rest for the two tails. */
	int left = box->top + box->height - 1 - box->y;
	int tree_room = (int)tui->model.detail.count + 2;
	tree_room = tree_room < left / 2 ? tree_room : left / 2;
	detail_tree_draw(tui, box, tree_room);
	char tail[OUTPUT_TAIL_SIZE];
	left = box->top + box->height - 1 - box->y;
	size_t length = pool_slot_stdout_tail(tui->pool, index, tail, sizeof tail);
	detail_tail_draw(tui, box, "Last lines of stdout", tail, length, left / 2);
	left = box->top + box->height - 1 - box->y;
	length = pool_slot_stderr_tail(tui->pool, index, tail, sizeof tail);
	detail_tail_draw(tui, box, "Last lines of stderr", tail, length, left);
}

void tui_detail_draw(struct tui *tui)
{
	struct box box;
	box_open(tui, &box, tui->detail_number ? " job detail " : " result detail ");
	if (tui->detail_number)
		detail_slot_draw(tui, &box);
	else
		detail_result_draw(tui, &box);
}

/* The setup screen: the worker table's columns, each on or off, and the
 * refresh interval, as htop's setup lists its columns. */
void tui_setup_draw(struct tui *tui)
{
	struct box box;
	box_open(tui, &box, " columns and refresh ");
	int rows = (int)tui_worker_table.count + 1;
	int room = box.top + box.height - 1 - box.y;
	/* The how-to when there is room for it and the whole list. */
	if (room >= rows + 4) {
		box_text(&box, "Space or Enter shows or hides a column; Left/Right change the "
			 "refresh; c or Esc closes (and saves).");
		box.y++;
		room = box.top + box.height - 1 - box.y;
	}
	int top = 0;
	tui_scroll_settle(&top, tui->setup_row, room, rows);
	for (int row = top; row < rows && !box_full(&box); row++) {
		char line[96];
		if (row < (int)tui_worker_table.count)
			snprintf(line, sizeof line, "[%c] %s", tui->columns_hidden & (1UL << row) ? ' ' : 'x',
				 tui_worker_table.columns[row].title);
		else
			snprintf(line, sizeof line, "    refresh every %g s", tui->config.refresh);
		int y = box.y++;
		bool cursor = row == tui->setup_row;
		tui_look_set(tui, cursor ? LOOK_SELECTED : LOOK_NORMAL);
		if (cursor)
			mvhline(y, box.left + 2, ' ', box.width - 4);
		tui_text_put(y, box.left + 2, line, box.left + box.width - 2);
		tui_look_set(tui, LOOK_NORMAL);
	}
}

