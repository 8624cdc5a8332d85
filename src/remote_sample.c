/* remote_sample.c - the remote figures (see remote_sample.h): the sh
 * sampler, its parser, and the probe that runs it as a child process whose
 * output the loop reads, so that a slow host never blocks the loop. */
#include "remote_sample.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hosts.h"
#include "slot.h"
#include "xalloc.h"

/* One pass over /proc/[0-9]*\/stat (the host's processes, not its
 * threads) records each process's parent, CPU (utime + stime + cutime +
 * cstime, as sample.c counts locally) and resident pages, in variables
 * named after the pid; then each process is charged to the root its
 * parent chain reaches, each chain walked once (root_PID remembers the
 * answer, 0 for none).  `read` and `eval` are builtins: the only other
 * processes started are the two getconf.  The comm field may hold spaces
 * and parentheses, so the fields are taken after its last ") ".  Every
 * name eval builds holds digits only.  Output:
 *   pooltop-sample 1 HERTZ PAGE_SIZE UPTIME
 *   host BUSY_TICKS ALL_TICKS LOAD1 CPU_PRESSURE (the host: /proc/stat's cpu
 *                                               line, the load, PSI some avg10
 *                                               or -1)
 *   pid ROOT TICKS PAGES PROCESSES STARTTIME     (one line per argument)
 *   end
 * Without arguments the walk over /proc is skipped. */
const char remote_sample_script[] =
	"hz=$(getconf CLK_TCK 2>/dev/null) || hz=100\n"
	"pg=$(getconf PAGESIZE 2>/dev/null) || pg=4096\n"
	"read -r up idle < /proc/uptime || exit 1\n"
	"echo \"pooltop-sample 1 $hz $pg ${up%% *}\"\n"
	"if read -r c u n s i w q sq st x < /proc/stat; then\n"
	"  b=$((u+n+s+${q:-0}+${sq:-0}+${st:-0}))\n"
	"  l=-1; read -r l x 2>/dev/null < /proc/loadavg\n"
	"  p=-1; if read -r x 2>/dev/null < /proc/pressure/cpu; then p=${x#*avg10=}; p=${p%% *}; fi\n"
	"  echo \"host $b $((b+i+w)) $l $p\"\n"
	"fi\n"
	"[ $# -gt 0 ] || { echo end; exit 0; }\n"
	"roots=\n"
	"for r in \"$@\"; do\n"
	"  case $r in ''|*[!0-9]*) continue;; esac\n"
	"  roots=\"$roots $r\"\n"
	"  eval \"root_$r=$r t_$r=0 m_$r=0 n_$r=0 s_$r=0\"\n"
	"done\n"
	"all=\n"
	"for f in /proc/[0-9]*/stat; do\n"
	"  read -r l < \"$f\" 2>/dev/null || continue\n"
	"  p=${f#/proc/}; p=${p%/stat}\n"
	"  set -- ${l##*) }\n"
	"  eval \"pp_$p=$2 ti_$p=$((${12}+${13}+${14}+${15})) rs_$p=${22} st_$p=${20}\"\n"
	"  all=\"$all $p\"\n"
	"done\n"
	"for p in $all; do\n"
	"  a=$p c=\n"
	"  while :; do\n"
	"    eval \"r=\\${root_$a-}\"\n"
	"    [ -n \"$r\" ] && break\n"
	"    c=\"$c $a\"\n"
	"    eval \"a=\\${pp_$a-0}\"\n"
	"    [ \"$a\" -gt 0 ] || { r=0; break; }\n"
	"  done\n"
	"  for x in $c; do eval \"root_$x=$r\"; done\n"
	"  [ \"$r\" = 0 ] || eval \"t_$r=\\$((t_$r+ti_$p)) m_$r=\\$((m_$r+rs_$p)) n_$r=\\$((n_$r+1))\"\n"
	"  [ \"$r\" = \"$p\" ] && eval \"s_$r=\\$st_$p\"\n"
	"done\n"
	"for r in $roots; do\n"
	"  eval \"echo pid $r \\$t_$r \\$m_$r \\$n_$r \\$s_$r\"\n"
	"done\n"
	"echo end\n";

/* Bounds what one reading may print: about 60 bytes per root. */
#define READING_MAX_BYTES (1024 * 1024)
/* The last bytes of the script's stderr kept, for the error message. */
#define ERROR_TAIL_BYTES 512
/* A leader younger than this has too few ticks for a first figure (as
 * sample.c). */
#define FIRST_SIGHTING_MIN_AGE 0.2

/* The next line of text[*pos..len), copied NUL-terminated into line;
 * false at the end or when the line does not fit. */
static bool next_line(const char *text, size_t len, size_t *pos, char *line, size_t size)
{
	if (*pos >= len)
		return false;
	const char *start = text + *pos;
	const char *end = memchr(start, '\n', len - *pos);
	size_t line_len = end ? (size_t)(end - start) : len - *pos;
	*pos += line_len + (end ? 1 : 0);
	if (line_len >= size)
		return false;
	memcpy(line, start, line_len);
	line[line_len] = '\0';
	return true;
}

int remote_sample_parse(const char *text, size_t len, struct tree_usage *trees, size_t n,
			double *root_started, struct remote_reading *reading)
{
	for (size_t i = 0; i < n; i++) {
		trees[i].ticks = trees[i].rss_bytes = 0;
		trees[i].processes = 0;
		if (root_started)
			root_started[i] = 0;
	}
	size_t pos = 0;
	char line[256];
	int version;
	reading->host_known = false;
	if (!next_line(text, len, &pos, line, sizeof line) ||
	    sscanf(line, "pooltop-sample %d %ld %ld %lf", &version, &reading->hertz, &reading->page_size,
		   &reading->uptime) != 4 ||
	    version != 1 || reading->hertz <= 0 || reading->page_size <= 0)
		return -1;
	while (next_line(text, len, &pos, line, sizeof line)) {
		if (!strcmp(line, "end"))
			return 0;
		if (!strncmp(line, "host ", 5)) {
			reading->host_known = sscanf(line, "host %llu %llu %lf %lf", &reading->busy_ticks,
						     &reading->all_ticks, &reading->load1, &reading->cpu_pressure) == 4;
			continue;
		}
		long root;
		unsigned long long ticks, pages, started;
		int processes;
		if (sscanf(line, "pid %ld %llu %llu %d %llu", &root, &ticks, &pages, &processes, &started) != 5)
			return -1;
		for (size_t i = 0; i < n; i++) {
			if (trees[i].root != (pid_t)root)
				continue;
			trees[i].ticks = ticks;
			trees[i].rss_bytes = pages * (unsigned long long)reading->page_size;
			trees[i].processes = processes;
			if (root_started)
				root_started[i] = (double)started / (double)reading->hertz;
		}
	}
	return -1;  /* no `end`: the reading was cut short */
}

/* ---- the probe -------------------------------------------------------- */

struct remote_probe {
	struct loop *loop;
	pid_t pid;                   /* the running reading, 0 when none */
	int out_fd, err_fd;          /* its stdout and stderr, -1 when closed */
	char *output;                /* what it printed so far */
	size_t output_len, output_cap;
	char error_tail[ERROR_TAIL_BYTES];
	size_t error_len;
	bool failed;                 /* the last reading was not complete */

	pid_t *asked;                /* the roots of the running reading */
	size_t asked_count, asked_cap;

	struct tree_usage *trees;    /* the figures of the last complete reading */
	size_t tree_count, trees_cap;
	double *started;             /* per tree: uptime its leader started at */
	size_t started_cap;
	struct tree_usage *previous; /* the reading before, for CPU% */
	size_t previous_count, previous_cap;
	double previous_uptime, uptime;
	unsigned long readings;
	struct remote_reading host;  /* the host's part of the last complete reading */
};

char *remote_sample_command(const pid_t *roots, size_t n)
{
	size_t size = sizeof "sh -s" + n * 21;
	char *command = xmalloc(size);
	size_t len = (size_t)snprintf(command, size, "sh -s");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(command + len, size - len, " %ld", (long)roots[i]);
	return command;
}

struct remote_probe *remote_probe_new(struct loop *loop)
{
	struct remote_probe *probe = xcalloc(1, sizeof *probe);
	probe->loop = loop;
	probe->out_fd = probe->err_fd = -1;
	return probe;
}

static void probe_close_fd(struct remote_probe *probe, int *fd)
{
	if (*fd < 0)
		return;
	loop_del_fd(probe->loop, *fd);
	close(*fd);
	*fd = -1;
}

void remote_probe_free(struct remote_probe *probe)
{
	if (!probe)
		return;
	if (probe->pid > 0)
		kill(-probe->pid, SIGKILL);  /* its own process group; reaped with the others */
	probe_close_fd(probe, &probe->out_fd);
	probe_close_fd(probe, &probe->err_fd);
	free(probe->output);
	free(probe->asked);
	free(probe->trees);
	free(probe->started);
	free(probe->previous);
	free(probe);
}

bool remote_probe_busy(const struct remote_probe *probe)
{
	return probe->pid > 0;
}

unsigned long remote_probe_readings(const struct remote_probe *probe)
{
	return probe->readings;
}

const char *remote_probe_error(const struct remote_probe *probe)
{
	if (!probe->failed)
		return NULL;
	return probe->error_len ? probe->error_tail : "the remote sampler printed no complete reading";
}

static const struct tree_usage *previous_of(const struct remote_probe *probe, pid_t root)
{
	for (size_t i = 0; i < probe->previous_count; i++)
		if (probe->previous[i].root == root)
			return &probe->previous[i];
	return NULL;
}

/* CPU% of each tree: its growth since the previous reading over the host's
 * own clock (so the round trip's delay does not count), or over its life
 * when first seen. */
static void trees_cpu_percent(struct remote_probe *probe, long hertz)
{
	for (size_t i = 0; i < probe->tree_count; i++) {
		struct tree_usage *tree = &probe->trees[i];
		const struct tree_usage *before = previous_of(probe, tree->root);
		double age = probe->uptime - probe->started[i];
		if (tree->processes <= 0)
			tree->cpu_percent = -1;
		else if (before && before->processes > 0 && probe->uptime > probe->previous_uptime)
			tree->cpu_percent = sample_cpu_percent(before->ticks, tree->ticks,
							       probe->uptime - probe->previous_uptime, hertz);
		else if (probe->started[i] > 0 && age >= FIRST_SIGHTING_MIN_AGE)
			tree->cpu_percent = sample_cpu_percent(0, tree->ticks, age, hertz);
		else
			tree->cpu_percent = -1;
	}
}

/* The reading's output is all there: parse it into the figures. */
static void probe_finish(struct remote_probe *probe)
{
	probe->pid = 0;
	probe->readings++;
	/* The current figures become the previous ones (the arrays swap). */
	struct tree_usage *swap = probe->previous;
	size_t swap_cap = probe->previous_cap;
	probe->previous = probe->trees;
	probe->previous_cap = probe->trees_cap;
	probe->previous_count = probe->tree_count;
	probe->trees = swap;
	probe->trees_cap = swap_cap;
	probe->previous_uptime = probe->uptime;

	xgrow(&probe->trees, &probe->trees_cap, probe->asked_count + 1, sizeof *probe->trees);
	xgrow(&probe->started, &probe->started_cap, probe->asked_count + 1, sizeof *probe->started);
	for (size_t i = 0; i < probe->asked_count; i++)
		probe->trees[i] = (struct tree_usage){ .root = probe->asked[i], .cpu_percent = -1 };
	struct remote_reading reading;
	probe->failed = remote_sample_parse(probe->output, probe->output_len, probe->trees,
					    probe->asked_count, probe->started, &reading) < 0;
	if (probe->failed) {
		/* Nothing is known; the next complete reading starts afresh. */
		probe->tree_count = probe->previous_count = 0;
		probe->uptime = probe->previous_uptime = 0;
		return;
	}
	probe->tree_count = probe->asked_count;
	probe->uptime = reading.uptime;
	probe->host = reading;
	trees_cpu_percent(probe, reading.hertz);
}

static void probe_read(struct loop *loop, int fd, short revents, void *data)
{
	(void)loop;
	(void)revents;
	struct remote_probe *probe = data;
	char buffer[4096];
	ssize_t got;
	do
		got = read(fd, buffer, sizeof buffer);
	while (got < 0 && errno == EINTR);
	if (got < 0 && errno == EAGAIN)
		return;
	if (got > 0 && fd == probe->out_fd) {
		size_t keep = (size_t)got;
		if (probe->output_len + keep > READING_MAX_BYTES)
			keep = READING_MAX_BYTES - probe->output_len;
		xgrow(&probe->output, &probe->output_cap, probe->output_len + keep + 1, 1);
		memcpy(probe->output + probe->output_len, buffer, keep);
		probe->output_len += keep;
	} else if (got > 0) {
		/* Keep the last line ssh wrote: the reason a host failed. */
		size_t take = (size_t)got < ERROR_TAIL_BYTES - 1 ? (size_t)got : ERROR_TAIL_BYTES - 1;
		memcpy(probe->error_tail, buffer + got - take, take);
		probe->error_tail[take] = '\0';
		while (take > 0 && probe->error_tail[take - 1] == '\n')
			probe->error_tail[--take] = '\0';
		char *last = strrchr(probe->error_tail, '\n');
		if (last)
			memmove(probe->error_tail, last + 1, strlen(last + 1) + 1);
		probe->error_len = strlen(probe->error_tail);
	} else {
		probe_close_fd(probe, fd == probe->out_fd ? &probe->out_fd : &probe->err_fd);
		if (probe->out_fd < 0 && probe->err_fd < 0)
			probe_finish(probe);
	}
}

/* The script goes on the child's stdin: any login shell runs `sh -s`,
 * whatever its quoting rules; it is far smaller than a pipe's buffer, so
 * the write cannot block. */
static int script_pipe(void)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC))
		return -1;
	size_t len = sizeof remote_sample_script - 1;
	ssize_t written = write(fds[1], remote_sample_script, len);
	close(fds[1]);
	if (written != (ssize_t)len) {
		close(fds[0]);
		return -1;
	}
	return fds[0];
}

int remote_probe_start(struct remote_probe *probe, char *const argv[], const pid_t *roots, size_t n)
{
	if (probe->pid > 0)
		return -1;
	xgrow(&probe->asked, &probe->asked_cap, n + 1, sizeof *probe->asked);
	memcpy(probe->asked, roots, n * sizeof *roots);
	probe->asked_count = n;
	probe->output_len = 0;
	probe->error_len = 0;
	probe->error_tail[0] = '\0';

	int out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int in = script_pipe();
	pid_t pid = 0;
	int exec_errno = 0;
	if (in >= 0 && proc_pipe(out) == 0 && proc_pipe(err) == 0)
		pid = proc_spawn(argv, in, out[1], err[1], &exec_errno);
	if (in >= 0)
		close(in);
	if (out[1] >= 0)
		close(out[1]);
	if (err[1] >= 0)
		close(err[1]);
	if (pid <= 0) {
		if (out[0] >= 0)
			close(out[0]);
		if (err[0] >= 0)
			close(err[0]);
		probe->failed = true;
		snprintf(probe->error_tail, sizeof probe->error_tail, "cannot start the remote sampler: %s",
			 strerror(exec_errno ? exec_errno : errno));
		probe->error_len = strlen(probe->error_tail);
		return -1;
	}
	probe->pid = pid;
	probe->out_fd = out[0];
	probe->err_fd = err[0];
	loop_add_fd(probe->loop, probe->out_fd, POLLIN, probe_read, probe);
	loop_add_fd(probe->loop, probe->err_fd, POLLIN, probe_read, probe);
	return 0;
}

bool remote_probe_host(const struct remote_probe *probe, struct remote_reading *reading)
{
	if (probe->failed || !probe->host.host_known)
		return false;
	*reading = probe->host;
	return true;
}

bool remote_probe_figures(const struct remote_probe *probe, pid_t root, struct tree_usage *usage)
{
	for (size_t i = 0; i < probe->tree_count; i++) {
		if (probe->trees[i].root != root)
			continue;
		*usage = probe->trees[i];
		return usage->processes > 0;
	}
	return false;
}

/* ---- one probe per host ------------------------------------------------- */

struct remote_host_figures {
	char *login;
	struct remote_probe *probe;
	pid_t *roots;                /* the trees named for the coming request */
	size_t root_count, roots_cap;
};

struct remote_figures {
	struct loop *loop;
	remote_argv_fn *argv_for;
	void *data;
	struct remote_host_figures *hosts;  /* one per login seen, never more than the hosts */
	size_t host_count, hosts_cap;
};

struct remote_figures *remote_figures_new(struct loop *loop, remote_argv_fn *argv_for, void *data)
{
	struct remote_figures *figures = xcalloc(1, sizeof *figures);
	figures->loop = loop;
	figures->argv_for = argv_for;
	figures->data = data;
	return figures;
}

void remote_figures_free(struct remote_figures *figures)
{
	if (!figures)
		return;
	for (size_t i = 0; i < figures->host_count; i++) {
		free(figures->hosts[i].login);
		remote_probe_free(figures->hosts[i].probe);
		free(figures->hosts[i].roots);
	}
	free(figures->hosts);
	free(figures);
}

static struct remote_host_figures *host_figures(const struct remote_figures *figures, const char *login)
{
	for (size_t i = 0; i < figures->host_count; i++)
		if (!strcmp(figures->hosts[i].login, login))
			return &figures->hosts[i];
	return NULL;
}

void remote_figures_add(struct remote_figures *figures, const char *login, pid_t root)
{
	struct remote_host_figures *host = host_figures(figures, login);
	if (!host) {
		xgrow(&figures->hosts, &figures->hosts_cap, figures->host_count + 1, sizeof *figures->hosts);
		host = &figures->hosts[figures->host_count++];
		*host = (struct remote_host_figures){ .login = xstrdup(login),
						      .probe = remote_probe_new(figures->loop) };
	}
	xgrow(&host->roots, &host->roots_cap, host->root_count + 1, sizeof *host->roots);
	host->roots[host->root_count++] = root;
}

void remote_figures_request(struct remote_figures *figures)
{
	for (size_t i = 0; i < figures->host_count; i++) {
		struct remote_host_figures *host = &figures->hosts[i];
		if (host->root_count > 0 && !remote_probe_busy(host->probe)) {
			char *command = remote_sample_command(host->roots, host->root_count);
			char **argv = figures->argv_for(figures->data, host->login, command);
			if (argv)
				remote_probe_start(host->probe, argv, host->roots, host->root_count);
			free(argv);
			free(command);
		}
		host->root_count = 0;
	}
}

bool remote_figures_get(const struct remote_figures *figures, const char *login, pid_t root,
			struct tree_usage *usage)
{
	const struct remote_host_figures *host = host_figures(figures, login);
	return host && remote_probe_figures(host->probe, root, usage);
}

char **remote_figures_hosts_argv(void *data, const char *login, const char *command)
{
	struct hosts *hosts = data;
	for (int i = 0; i < hosts_count(hosts); i++) {
		const struct host *host = hosts_at(hosts, i);
		if (!host->local && host->state == HOST_UP && !strcmp(host->login, login))
			return hosts_ssh_argv(hosts, host, false, command);
	}
	return NULL;
}
