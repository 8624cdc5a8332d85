/* tui_columns.c - the worker and result tables as one entry per column,
 * the layout that fits them to the terminal's width, and the formatters
 * behind each cell.  Every cell passes through the one sanitizer. */
#include "tui_columns.h"

#include <inttypes.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Longest text measured when deciding whether something fits. */
#define FIT_SCRATCH_SIZE 2048

static const char *ellipsis(void)
{
	return strcmp(nl_langinfo(CODESET), "UTF-8") ? "~" : "\xe2\x80\xa6";
}

int tui_text_fit(char *out, size_t size, const char *in, size_t len, int width)
{
	if (size == 0)
		return 0;
	char scratch[FIT_SCRATCH_SIZE];
	int columns = text_sanitize(scratch, sizeof scratch, in, len, 0);
	if (width <= 0 || columns <= width)  /* copied as sanitized: cut only between characters */
		return text_sanitize(out, size, scratch, strlen(scratch), 0);
	const char *mark = ellipsis();
	size_t mark_len = strlen(mark);
	if (size <= mark_len) {
		out[0] = '\0';
		return 0;
	}
	columns = text_sanitize(out, size - mark_len, in, len, width - 1);
	memcpy(out + strlen(out), mark, mark_len + 1);
	return columns + 1;
}

const char *tui_state_name(enum slot_state state)
{
	switch (state) {
	case SLOT_RUN:
		return "run";
	case SLOT_RETIRE:
		return "retire";
	case SLOT_STOP:
		return "stop";
	case SLOT_IDLE:
	default:
		return "idle";
	}
}

void tui_signal_name(int signo, char *out, size_t size)
{
	static const struct {
		int number;
		const char *name;
	} names[] = {
		{ SIGHUP, "HUP" },   { SIGINT, "INT" },   { SIGQUIT, "QUIT" }, { SIGILL, "ILL" },
		{ SIGTRAP, "TRAP" }, { SIGABRT, "ABRT" }, { SIGBUS, "BUS" },   { SIGFPE, "FPE" },
		{ SIGKILL, "KILL" }, { SIGUSR1, "USR1" }, { SIGSEGV, "SEGV" }, { SIGUSR2, "USR2" },
		{ SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" }, { SIGTERM, "TERM" }, { SIGXCPU, "XCPU" },
		{ SIGXFSZ, "XFSZ" }, { SIGSYS, "SYS" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].number == signo) {
			snprintf(out, size, "%s", names[i].name);
			return;
		}
	}
	snprintf(out, size, "%d", signo);
}

/* --- hosts ---------------------------------------------------------------- */

bool tui_slots_remote(const struct pool *pool)
{
	struct slot_view view;
	for (int index = 0; pool_slot_view(pool, index, &view); index++)
		if (view.host)
			return true;
	return false;
}

/* Hosts named in the header; a pool on more shows the first ones. */
#define HEADER_HOSTS_MAX 16

char *tui_host_counts(const struct pool *pool, char *out, size_t size)
{
	const char *hosts[HEADER_HOSTS_MAX];
	int counts[HEADER_HOSTS_MAX];
	int host_count = 0;
	bool remote = false;
	struct slot_view view;
	for (int index = 0; pool_slot_view(pool, index, &view); index++) {
		const char *host = view.host ? view.host : ":";
		remote = remote || view.host;
		if (!*host)
			continue;  /* waiting for a host: on none */
		int at = 0;
		while (at < host_count && strcmp(hosts[at], host))
			at++;
		if (at == host_count && host_count < HEADER_HOSTS_MAX) {
			hosts[host_count] = host;
			counts[host_count++] = 0;
		}
		if (at < host_count)
			counts[at]++;
	}
	out[0] = '\0';
	if (!remote || size == 0)
		return out;
	size_t len = (size_t)snprintf(out, size, "hosts");
	for (int at = 0; at < host_count && len < size; at++) {
		char name[64];
		tui_text_fit(name, sizeof name, hosts[at], strlen(hosts[at]), 20);
		len += (size_t)snprintf(out + len, size - len, " %s=%d", name, counts[at]);
	}
	return out;
}

/* --- the worker table ----------------------------------------------------- */

static void worker_slot(const void *row, int width, char *out, size_t size)
{
	(void)width;
	const struct worker_row *worker = row;
	snprintf(out, size, "%d", worker->view.number);
}

/* A job on another host shows its pid there (the local one is ssh's). */
static void worker_pid(const void *row, int width, char *out, size_t size)
{
	(void)width;
	const struct worker_row *worker = row;
	pid_t pid = worker->view.host ? worker->view.remote_pid : worker->view.pid;
	if (pid > 0 && (worker->view.pid > 0 || worker->view.host))
		snprintf(out, size, "%d", (int)pid);
	else
		snprintf(out, size, "-");
}

/* The host's login as given to -S; ":" is this machine, as GNU parallel
 * names it, "-" a slot waiting for a host with room. */
static void worker_host(const void *row, int width, char *out, size_t size)
{
	const struct worker_row *worker = row;
	const char *host = !worker->view.host ? ":" : worker->view.host[0] ? worker->view.host : "-";
	tui_text_fit(out, size, host, strlen(host), width);
}

static void worker_state(const void *row, int width, char *out, size_t size)
{
	(void)width;
	const struct worker_row *worker = row;
	snprintf(out, size, "%s", tui_state_name(worker->view.state));
}

/* --pipe: the block and how much of it the job has read, such as
 * "block 3: 512K/1.0M fed". */
static void worker_fed_block(const struct slot_view *view, int width, char *out, size_t size)
{
	char fed[16], total[16], text[80];
	snprintf(text, sizeof text, "block %" PRIu64 ": %s/%s fed", view->seq,
		 format_bytes(fed, sizeof fed, view->fed_bytes), format_bytes(total, sizeof total, view->feed_bytes));
	tui_text_fit(out, size, text, strlen(text), width);
}

/* The oldest item in flight; "+N" says how many more are queued behind it. */
static void worker_item(const void *row, int width, char *out, size_t size)
{
	const struct worker_row *worker = row;
	out[0] = '\0';
	if (!worker->view.item)
		return;
	if (worker->view.fed) {
		worker_fed_block(&worker->view, width, out, size);
		return;
	}
	char suffix[24] = "";
	if (worker->view.queued > 0)
		snprintf(suffix, sizeof suffix, " +%d", worker->view.queued);
	int suffix_width = (int)strlen(suffix);
	if (width <= suffix_width + 1) {
		suffix[0] = '\0';  /* no room: the item matters more */
		suffix_width = 0;
	}
	/* An item of several arguments reads as they are joined by spaces. */
	char *joined = text_join_args(worker->view.item, worker->view.item_len);
	tui_text_fit(out, size - strlen(suffix), joined, worker->view.item_len,
		     width > 0 ? width - suffix_width : 0);
	free(joined);
	strcat(out, suffix);
}

static void worker_time(const void *row, int width, char *out, size_t size)
{
	(void)width;
	const struct worker_row *worker = row;
	out[0] = '\0';
	if (worker->view.item)
		format_duration(out, size, worker->now - worker->view.item_started);
}

static void worker_cpu(const void *row, int width, char *out, size_t size)
{
	(void)width;
	const struct worker_row *worker = row;
	out[0] = '\0';
	/* An idle slot shows what it used in the interval: short jobs count. */
	if (worker->view.pid > 0 || worker->cpu_percent > 0)
		format_percent(out, size, worker->cpu_percent);
}

static void worker_rss(const void *row, int width, char *out, size_t size)
{
	(void)width;
	const struct worker_row *worker = row;
	out[0] = '\0';
	if (worker->view.pid <= 0)
		return;
	if (worker->sampled && worker->rss_bytes > 0)
		format_bytes(out, size, worker->rss_bytes);
	else
		snprintf(out, size, "-");
}

static void worker_peak(const void *row, int width, char *out, size_t size)
{
	(void)width;
	const struct worker_row *worker = row;
	out[0] = '\0';
	if (worker->peak_rss_bytes > 0)
		format_bytes(out, size, worker->peak_rss_bytes);
}

static void worker_done(const void *row, int width, char *out, size_t size)
{
	(void)width;
	const struct worker_row *worker = row;
	snprintf(out, size, "%" PRIu64, worker->view.done);
}

static void worker_failed(const void *row, int width, char *out, size_t size)
{
	(void)width;
	const struct worker_row *worker = row;
	snprintf(out, size, "%" PRIu64, worker->view.failed);
}

static const struct tui_column worker_columns[] = {
	{ "SLOT", 4, ALIGN_RIGHT, 90, 0, worker_slot },
	{ "PID", 7, ALIGN_RIGHT, 60, 0, worker_pid },
	[TUI_WORKER_HOST_COLUMN] = { "HOST", 10, ALIGN_LEFT, 65, 0, worker_host },
	{ "STATE", 6, ALIGN_LEFT, 80, 0, worker_state },
	{ "ITEM", 8, ALIGN_LEFT, 100, 1, worker_item },
	{ "TIME", 6, ALIGN_RIGHT, 40, 0, worker_time },
	{ "CPU%", 6, ALIGN_RIGHT, 70, 0, worker_cpu },
	{ "RSS", 6, ALIGN_RIGHT, 50, 0, worker_rss },
	{ "PEAK", 6, ALIGN_RIGHT, 35, 0, worker_peak },
	{ "DONE", 5, ALIGN_RIGHT, 30, 0, worker_done },
	{ "FAIL", 4, ALIGN_RIGHT, 20, 0, worker_failed },
};

const struct tui_table tui_worker_table = {
	worker_columns, sizeof worker_columns / sizeof worker_columns[0],
};

/* --- the results pane ----------------------------------------------------- */

void tui_result_status(const struct result_row *row, char *out, size_t size)
{
	char name[16];
	if (row->error[0] && row->pid <= 0) {
		snprintf(out, size, "error");
	} else if (row->signal) {
		tui_signal_name(row->signal, name, sizeof name);
		snprintf(out, size, "signal %s", name);
	} else {
		snprintf(out, size, "exit %d", row->exit_code);
	}
	if (row->will_retry) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, " retry");
	}
}

static void result_seq(const void *row, int width, char *out, size_t size)
{
	(void)width;
	const struct result_row *result = row;
	snprintf(out, size, "#%" PRIu64, result->seq);
}

static void result_item(const void *row, int width, char *out, size_t size)
{
	const struct result_row *result = row;
	tui_text_fit(out, size, result->item, strlen(result->item), width);
}

/* The first line of output, or pooltop's explanation when it has one. */
static void result_output(const void *row, int width, char *out, size_t size)
{
	const struct result_row *result = row;
	const char *text = result->error[0] ? result->error : result->output;
	tui_text_fit(out, size, text, strlen(text), width);
}

static void result_status(const void *row, int width, char *out, size_t size)
{
	(void)width;
	tui_result_status(row, out, size);
}

static void result_time(const void *row, int width, char *out, size_t size)
{
	(void)width;
	const struct result_row *result = row;
	format_duration(out, size, result->runtime);
}

static void result_pid(const void *row, int width, char *out, size_t size)
{
	(void)width;
	const struct result_row *result = row;
	if (result->pid > 0)
		snprintf(out, size, "pid %d", (int)result->pid);
	else
		snprintf(out, size, "-");
}

static const struct tui_column result_columns[] = {
	{ "SEQ", 6, ALIGN_RIGHT, 90, 0, result_seq },
	{ "ITEM", 6, ALIGN_LEFT, 100, 1, result_item },
	{ "OUTPUT", 6, ALIGN_LEFT, 60, 2, result_output },
	{ "STATUS", 12, ALIGN_LEFT, 95, 0, result_status },
	{ "TIME", 6, ALIGN_RIGHT, 50, 0, result_time },
	{ "PID", 11, ALIGN_RIGHT, 40, 0, result_pid },
};

const struct tui_table tui_result_table = {
	result_columns, sizeof result_columns / sizeof result_columns[0],
};

/* --- layout and cells ----------------------------------------------------- */

/* Width the shown columns need, one space between neighbours. */
static int columns_needed(const struct tui_table *table, const int *widths, int *shown)
{
	int needed = 0;
	*shown = 0;
	for (size_t i = 0; i < table->count; i++) {
		if (!widths[i])
			continue;
		needed += widths[i] + (*shown > 0);
		(*shown)++;
	}
	return needed;
}

/* The shown column that matters least, or -1 when only one is left. */
static int column_least_kept(const struct tui_table *table, const int *widths)
{
	int least = -1, shown = 0;
	for (size_t i = 0; i < table->count; i++) {
		if (!widths[i])
			continue;
		shown++;
		if (least < 0 || table->columns[i].keep < table->columns[least].keep)
			least = (int)i;
	}
	return shown > 1 ? least : -1;
}

static void columns_share_spare(const struct tui_table *table, int *widths, int spare)
{
	int weights = 0;
	for (size_t i = 0; i < table->count; i++)
		if (widths[i])
			weights += table->columns[i].flex;
	if (weights == 0 || spare <= 0)
		return;
	int given = 0, last = -1;
	for (size_t i = 0; i < table->count; i++) {
		if (!widths[i] || !table->columns[i].flex)
			continue;
		int share = spare * table->columns[i].flex / weights;
		widths[i] += share;
		given += share;
		last = (int)i;
	}
	widths[last] += spare - given;  /* the rounding remainder */
}

int tui_columns_fit(const struct tui_table *table, int width, int *widths)
{
	return tui_columns_fit_shown(table, 0, width, widths);
}

int tui_columns_fit_shown(const struct tui_table *table, unsigned long hidden, int width,
			  int *widths)
{
	for (size_t i = 0; i < table->count; i++)
		widths[i] = hidden & (1UL << i) ? 0 : table->columns[i].width;
	int shown, needed;
	while ((needed = columns_needed(table, widths, &shown)) > width) {
		int least = column_least_kept(table, widths);
		if (least < 0) {
			/* One column left: it gets what there is. */
			for (size_t i = 0; i < table->count; i++)
				if (widths[i])
					widths[i] = width > 0 ? width : 0;
			return width > 0 ? width : 0;
		}
		widths[least] = 0;
	}
	columns_share_spare(table, widths, width - needed);
	return columns_needed(table, widths, &shown);
}

void tui_column_cell(const struct tui_column *column, const void *row, int width, char *out,
		     size_t size)
{
	char text[CELL_SIZE];
	if (row)
		column->format(row, width, text, sizeof text);
	else
		snprintf(text, sizeof text, "%s", column->title);
	char fitted[CELL_SIZE];
	int used = tui_text_fit(fitted, sizeof fitted, text, strlen(text), width);
	int padding = width > used ? width - used : 0;
	size_t length = strlen(fitted);
	if (size < length + (size_t)padding + 1) {
		snprintf(out, size, "%s", fitted);
		return;
	}
	char *end = out;
	if (column->align == ALIGN_RIGHT) {
		memset(end, ' ', (size_t)padding);
		end += padding;
	}
	memcpy(end, fitted, length);
	end += length;
	if (column->align == ALIGN_LEFT) {
		memset(end, ' ', (size_t)padding);
		end += padding;
	}
	*end = '\0';
}
