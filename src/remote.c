/* remote.c - the slot kind of -S/--sshlogin: each slot belongs to one host
 * at a time and runs one item at a time there, through the host's control
 * master, wrapped so that the remote job has a process group of its own,
 * says its pid and exit status on stderr, and dies when its session ends.
 * A slot of the local host ":" is a plain job slot: one kind handles both,
 * delegating to job.c's operations, so that one pool mixes local and
 * remote slots and a slot can move between hosts when one goes down. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "remote.h"
#include "remote_internal.h"
#include "remote_files.h"
#include "slot.h"
#include "template.h"
#include "xalloc.h"

/* What the remote wrapper writes on the job's stderr around its output:
 * the job's pid (its process group) first, its exit status last.  RS
 * (\036) starts both, so that ordinary output is never held back. */
#define MARKER_START '\036'
#define PID_MARKER "\036pooltop-pid "
#define EXIT_MARKER "\036pooltop-exit "

static bool slot_is_local(const struct slot *slot)
{
	struct remote_slot *rs = remote_slot(slot);
	return rs && rs->host && rs->host->local;
}

/* ---- the remote command ------------------------------------------------- */

/* Quote every word: the remote shell then runs exactly the argv a local
 * job would exec.  With --shell the script is handed over as it is, and
 * the login shell runs it, as GNU parallel runs its commands there. */
static char *remote_command_text(char *const *argv, bool shell_script)
{
	if (shell_script && argv[0] && argv[1] && argv[2] && !strcmp(argv[0], "sh") && !strcmp(argv[1], "-c") &&
	    !argv[3])
		return xstrdup(argv[2]);
	size_t size = 1;
	for (size_t i = 0; argv[i]; i++)
		size += 4 * strlen(argv[i]) + 3;
	char *text = xmalloc(size), *cursor = text;
	*cursor = '\0';
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			*cursor++ = ' ';
		cursor += template_shell_quote(cursor, argv[i], strlen(argv[i]));
	}
	return text;
}

char *remote_wrapper(char *const *argv, bool shell_script, int grace_seconds)
{
	char *command = remote_command_text(argv, shell_script);
	size_t len = strlen(command);
	char *quoted = xmalloc(4 * len + 3);
	template_shell_quote(quoted, command, len);
	free(command);
	/* In the login shell: keep the session's stdin as fd 3 and give the
	 * job /dev/null; start the job in a session (and so a process group)
	 * of its own, which says its pid before anything else and runs the
	 * command in the login shell, with no arguments; a watcher kills
	 * that group (TERM, KILL after the grace) once fd 3 ends: pooltop
	 * closed it, died, the connection dropped, or the session ended with
	 * the job, so that what the job left in its group dies with it.  The
	 * exit status comes last on stderr, so that a job that ended is told
	 * from a connection that failed, followed by `times`: its last line
	 * is the CPU of the job's reaped tree there. */
	char *wrapper = xasprintf(
		"exec 3<&0 </dev/null; p=; command -v setsid >/dev/null 2>&1 && p=setsid; "
		"$p \"${SHELL:-/bin/sh}\" -c 'printf \"\\036pooltop-pid %%s\\n\" $$ >&2; exec 3<&-; "
		"eval \"set --; $1\"' \"${SHELL:-/bin/sh}\" %s & j=$!; "
		"(while read -r _; do :; done; kill -TERM -$j 2>/dev/null || kill -TERM $j 2>/dev/null; "
		"kill -CONT -$j 2>/dev/null; sleep %d; kill -KILL -$j 2>/dev/null) <&3 >/dev/null 2>&1 & "
		"exec 3<&-; wait $j; s=$?; "
		"printf '\\036pooltop-exit %%s ' $s >&2; { times || echo; } >&2; exit $s",
		quoted, grace_seconds);
	free(quoted);
	return wrapper;
}

/* ---- hosts and slots ---------------------------------------------------- */

static void slot_take_host(struct slot *slot, struct host *host)
{
	struct remote_slot *rs = remote_slot(slot);
	rs->host = host;
	host->slots_used++;
	slot->host = host->login;
	log_debug("slot %d: on host %s (%d of %d slots)", slot->number, host->login, host->slots_used,
		  host_slot_limit(remote_of(slot->pool)->hosts, host));
}

static void slot_leave_host(struct slot *slot)
{
	struct remote_slot *rs = remote_slot(slot);
	struct host *host = rs->host;
	if (!host)
		return;
	host->slots_used--;
	rs->host = NULL;
	slot->host = NULL;
	if (host->removed && !host->slots_used && host->state != HOST_DOWN)
		hosts_disconnect(remote_of(slot->pool)->hosts, host);
}

/* An idle slot leaves its host when the host cannot take items there (down,
 * drained, removed), or has more slots than its count now allows (a
 * lowered count, autotune): it then finds the host with most room. */
static bool slot_should_move(const struct remote *remote, const struct remote_slot *rs)
{
	const struct host *host = rs->host;
	return host && (host->state != HOST_UP || host->draining ||
			host->slots_used > host_slot_limit(remote->hosts, host));
}

/* The up host with the most free slots, or NULL. */
static struct host *roomiest_host(struct remote *remote)
{
	struct host *best = NULL;
	int best_room = 0;
	for (int i = 0; i < hosts_count(remote->hosts); i++) {
		struct host *host = hosts_at(remote->hosts, i);
		if (host->state != HOST_UP)
			continue;
		int room = host_slot_limit(remote->hosts, host) - host->slots_used;
		if (room > best_room) {
			best = host;
			best_room = room;
		}
	}
	return best;
}

static bool slot_idle(const struct slot *slot)
{
	return !slot->pid && !slot->inflight_count;
}

/* Idle slots on a host that is down leave it; slots without a host take
 * one with room. */
void remote_place_slots(struct remote *remote)
{
	struct pool *pool = remote->pool;
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		struct remote_slot *rs = remote_slot(slot);
		if (!rs || slot->retiring || !slot_idle(slot))
			continue;
		if (slot_should_move(remote, rs))
			slot_leave_host(slot);
		if (!rs->host) {
			struct host *host = roomiest_host(remote);
			if (host)
				slot_take_host(slot, host);
		}
	}
}

static void host_up(void *data, struct host *host)
{
	struct remote *remote = data;
	struct pool *pool = remote->pool;
	if (remote->told_down[host->index]) {
		pool_message(pool, "host %s is up again", host->login);
		remote->told_down[host->index] = false;
	}
	remote->all_down_told = false;
	remote_place_slots(remote);
	if (!remote->counted[host->index]) {
		/* The pool counted one slot for the host until its CPUs were known. */
		remote->counted[host->index] = true;
		int more = host_slot_limit(remote->hosts, host) - 1;
		if (more > 0) {
			pool_resize(pool, pool_target(pool) + more, SHRINK_GRACEFUL, NULL);
			return;  /* the new slots found their host; the resize dispatched */
		}
	}
	pool_dispatch(pool);
}

static void host_down(void *data, struct host *host)
{
	struct remote *remote = data;
	struct pool *pool = remote->pool;
	if (!remote->told_down[host->index]) {
		pool_message(pool, "host %s is down (%s): its items run elsewhere; it is tried again", host->login,
			     host->reason ? host->reason : "?");
		remote->told_down[host->index] = true;
	}
	remote_place_slots(remote);
	if (hosts_all_down(remote->hosts) && !remote->all_down_told && pool_work_left(pool)) {
		pool_message(pool, "every host is down: the run waits for one to come back");
		remote->all_down_told = true;
	}
	pool_dispatch(pool);
}

/* ---- stderr: the markers ------------------------------------------------ */

static void err_append(struct slot *slot, const char *data, size_t len)
{
	if (len)
		spool_append(&slot->err, data, len);
}

/* The exit marker: "\036pooltop-exit CODE " and the output of `times`,
 * whose second line is the CPU of the shell's reaped children: the job's
 * tree.  *cpu_seconds is -1 when `times` said nothing readable. */
static bool parse_exit_marker(const struct remote_slot *rs, int *code, double *cpu_seconds)
{
	size_t prefix = strlen(EXIT_MARKER);
	if (rs->tail_len <= prefix || rs->tail_len > MARKER_MAX || memcmp(rs->tail, EXIT_MARKER, prefix) ||
	    rs->tail[rs->tail_len - 1] != '\n')
		return false;
	char text[MARKER_MAX + 1];
	memcpy(text, rs->tail + prefix, rs->tail_len - prefix);
	text[rs->tail_len - prefix] = '\0';
	int used = 0;
	if (sscanf(text, "%d%n", code, &used) != 1)
		return false;
	double minutes[4], seconds[4];
	*cpu_seconds = -1;
	if (sscanf(text + used, " %lfm%lfs %lfm%lfs %lfm%lfs %lfm%lfs", &minutes[0], &seconds[0], &minutes[1],
		   &seconds[1], &minutes[2], &seconds[2], &minutes[3], &seconds[3]) == 8)
		*cpu_seconds = 60 * (minutes[2] + minutes[3]) + seconds[2] + seconds[3];
	return true;
}

/* The tail held back is the exit marker, or output after all. */
static void finish_stderr(struct slot *slot, struct remote_slot *rs)
{
	if (!rs->head_done && rs->head_len) {
		err_append(slot, rs->head, rs->head_len);
		rs->head_len = 0;
	}
	rs->head_done = true;
	if (!rs->tail_len)
		return;
	int code;
	double cpu_seconds;
	if (parse_exit_marker(rs, &code, &cpu_seconds)) {
		rs->exit_code = code;
		rs->cpu_seconds = cpu_seconds;
	} else {
		err_append(slot, rs->tail, rs->tail_len);
	}
	rs->tail_len = 0;
}

/* The CPU a remote job used there, as its exit marker says; the local
 * rusage is that of ssh. */
static double remote_cpu_seconds(const struct slot *slot)
{
	const struct remote_slot *rs = remote_slot(slot);
	int code;
	double cpu_seconds;
	if (!rs || !rs->host || rs->host->local)
		return -1;
	if (rs->cpu_seconds >= 0)
		return rs->cpu_seconds;
	return parse_exit_marker(rs, &code, &cpu_seconds) && cpu_seconds > 0 ? cpu_seconds : 0;
}

static void stderr_body(struct slot *slot, struct remote_slot *rs, const char *data, size_t len)
{
	const char *marker = memrchr(data, MARKER_START, len);
	if (marker) {
		err_append(slot, rs->tail, rs->tail_len);
		rs->tail_len = 0;
		size_t before = (size_t)(marker - data), after = len - before;
		err_append(slot, data, before);
		if (after < MARKER_MAX) {
			memcpy(rs->tail, marker, after);
			rs->tail_len = after;
		} else {
			err_append(slot, marker, after);
		}
	} else if (rs->tail_len && rs->tail_len + len < MARKER_MAX) {
		memcpy(rs->tail + rs->tail_len, data, len);
		rs->tail_len += len;
	} else {
		err_append(slot, rs->tail, rs->tail_len);
		rs->tail_len = 0;
		err_append(slot, data, len);
	}
}

/* One whole line of stderr before the pid marker: ssh's own words about
 * the connection (a refused session: see remote_exited), or output. */
static void head_line(struct slot *slot, struct remote_slot *rs, const char *line, size_t len)
{
	int pid;
	char text[MARKER_MAX + 1];
	size_t n = len < MARKER_MAX ? len : MARKER_MAX;
	memcpy(text, line, n);
	text[n] = '\0';
	if (len < MARKER_MAX && !strncmp(text, PID_MARKER, strlen(PID_MARKER)) &&
	    sscanf(text + strlen(PID_MARKER), "%d", &pid) == 1 && pid > 0) {
		rs->remote_pid = pid;
		rs->head_done = true;
		log_debug("slot %d: remote job pid %d on %s", slot->number, pid, rs->host ? rs->host->login : "?");
		if (slot->suspended)  /* asked before the pid was known */
			slot->pool->kind->signal(slot, SIGSTOP);
		return;
	}
	if (memmem(line, len, "open refused", strlen("open refused"))) {
		/* ssh then runs the job over a connection of its own. */
		rs->refused = true;
		return;
	}
	err_append(slot, line, len);
}

/* Until the pid marker came, stderr is read line by line: ssh may speak
 * before the remote side does.  A line that cannot be the marker or a
 * message of ssh's is passed on as it comes. */
static void remote_stderr(struct slot *slot, const char *data, size_t len)
{
	struct remote_slot *rs = remote_slot(slot);
	while (!rs->head_done && len) {
		const char *newline = memchr(data, '\n', len);
		size_t line_len = newline ? (size_t)(newline - data) + 1 : len;
		if (rs->head_len + line_len <= sizeof rs->head) {
			memcpy(rs->head + rs->head_len, data, line_len);
			rs->head_len += line_len;
		} else {
			/* Too long for either: output, the head included. */
			err_append(slot, rs->head, rs->head_len);
			err_append(slot, data, line_len);
			rs->head_len = 0;
		}
		data += line_len;
		len -= line_len;
		if (newline && rs->head_len) {
			head_line(slot, rs, rs->head, rs->head_len);
			rs->head_len = 0;
		}
	}
	if (len)
		stderr_body(slot, rs, data, len);
}

/* ---- the kind ----------------------------------------------------------- */

static void remote_open(struct slot *slot)
{
	struct remote *remote = remote_of(slot->pool);
	struct remote_slot *rs = xcalloc(1, sizeof *rs);
	rs->exit_code = -1;
	rs->cpu_seconds = -1;
	slot->kind_data = rs;
	struct host *host = roomiest_host(remote);
	if (host)
		slot_take_host(slot, host);
}

static int remote_accepts_more(const struct slot *slot)
{
	struct remote_slot *rs = remote_slot(slot);
	return rs->host && rs->host->state == HOST_UP && !rs->host->draining && slot_idle(slot);
}

static void reset_attempt(struct remote_slot *rs)
{
	rs->remote_pid = 0;
	rs->head_done = false;
	rs->head_len = rs->tail_len = 0;
	rs->exit_code = -1;
	rs->cpu_seconds = -1;
	rs->refused = false;
}

/* --transferfile, --return, --cleanup, --basefile: the job's ssh runs in
 * a local sh that moves the files before and after it, through the same
 * connection (remote_files.c). */
static char **files_around(struct remote *remote, const struct host *host, char **argv,
			   const struct pending *item, int slot_number)
{
	if (!remote->files)
		return argv;
	char **plain = hosts_ssh_argv(remote->hosts, host, false, "");
	size_t words = 0;
	while (plain[words])
		words++;
	/* plain ends with the destination and the (empty) remote command. */
	char **wrapped = remote_files_local_argv(remote->files, argv, plain, words - 2, plain[words - 2],
						 host->login, item->text, item->len, item->seq, slot_number);
	free(plain);
	return wrapped;
}

void remote_pool_set_files(struct pool *pool, struct remote_files *files)
{
	remote_of(pool)->files = files;
}

static void remote_start(struct slot *slot, struct pending *item)
{
	if (slot_is_local(slot)) {
		job_slot_kind.start(slot, item);
		return;
	}
	struct pool *pool = slot->pool;
	struct remote *remote = remote_of(pool);
	struct remote_slot *rs = remote_slot(slot);
	reset_attempt(rs);
	free(slot->argv);
	slot->argv = template_argv(pool->config.template, item->text, item->len, item->seq, slot->number);
	slot_push_item(slot, item);

	char **job_argv = remote_files_job_argv(remote->files, slot->argv, item->text, item->len, item->seq,
						slot->number);
	char *wrapper = remote_wrapper(job_argv, remote->shell && job_argv == slot->argv, remote->grace_seconds);
	if (job_argv != slot->argv)
		free(job_argv);
	char **argv = hosts_ssh_argv(remote->hosts, rs->host, false, wrapper);
	free(wrapper);
	argv = files_around(remote, rs->host, argv, item, slot->number);
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, exec_errno = 0;
	if (pipe2(in, O_CLOEXEC) || proc_pipe(out) || proc_pipe(err)) {
		snprintf(remote->error, sizeof remote->error, "%s", strerror(errno));
		for (int i = 0; i < 2; i++) {
			if (in[i] >= 0)
				close(in[i]);
			if (out[i] >= 0)
				close(out[i]);
		}
		free(argv);
		pool_finish_attempt(slot, slot_pop_item(slot), 126 << 8, remote->error);
		return;
	}
	pid_t pid = proc_spawn(argv, in[0], out[1], err[1], &exec_errno);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	if (!pid) {
		close(in[1]);
		close(out[0]);
		close(err[0]);
		int exit_code;
		snprintf(remote->error, sizeof remote->error, "%s: %s", argv[0], proc_exec_error(exec_errno, &exit_code));
		free(argv);
		pool_finish_attempt(slot, slot_pop_item(slot), exit_code << 8, remote->error);
		return;
	}
	free(argv);
	slot->in_fd = in[1];   /* never written: its end tells the remote side to stop */
	slot_run_process(slot, pid, out[0], err[0], item->started);
}

static void remote_output(struct slot *slot, int stream, const char *data, size_t len)
{
	if (slot_is_local(slot) || stream == 1) {
		job_slot_kind.output(slot, stream, data, len);
		return;
	}
	if (len)
		remote_stderr(slot, data, len);
	else
		finish_stderr(slot, remote_slot(slot));
}

/* The last line ssh wrote, for the reason a host is taken down. */
static char *ssh_error_line(const struct slot *slot)
{
	char text[512];
	size_t len = spool_tail(&slot->err, text, sizeof text);
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	text[len] = '\0';
	char *line = strrchr(text, '\n');
	return len ? xstrdup(line ? line + 1 : text) : NULL;
}

/* The host's server refused this slot's session (sshd's MaxSessions): the
 * host runs as many at a time as it had before this one, and this slot
 * looks for another host (remote_exited). */
static void lower_session_limit(struct slot *slot, struct remote_slot *rs)
{
	struct host *host = rs->host;
	int limit = host->slots_used - 1 > 0 ? host->slots_used - 1 : 1;
	if (host->session_limit && limit >= host->session_limit)
		return;
	host->session_limit = limit;
	pool_message(slot->pool, "host %s refused a session (its sshd's MaxSessions?): it runs %d at a time",
		     host->login, limit);
}

/* A status the remote side reported: a job the wrapper saw die of a
 * signal pooltop sent reads as killed by it, as a local one would. */
static int reported_status(const struct slot *slot, int code)
{
	if (slot->killing && code > 128 && code < 128 + 64)
		return code - 128;
	return (code & 0xff) << 8;
}

static bool remote_exited(struct slot *slot, int status)
{
	struct remote *remote = remote_of(slot->pool);
	struct remote_slot *rs = remote_slot(slot);
	if (slot_is_local(slot)) {
		rs->host->done += slot->inflight_count > 0;
		bool stays = job_slot_kind.exited(slot, status);
		if (stays && !slot->retiring && slot_should_move(remote, rs)) {
			slot_leave_host(slot);
			struct host *host = roomiest_host(remote);
			if (host)
				slot_take_host(slot, host);
		}
		return stays;
	}
	finish_stderr(slot, rs);
	slot_close_fd(slot, &slot->in_fd);
	if (slot->inflight_count) {
		bool ended_there = rs->exit_code >= 0;
		bool ssh_failed = WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 255);
		char *said = ssh_failed && !ended_there ? ssh_error_line(slot) : NULL;
		if (rs->refused)
			lower_session_limit(slot, rs);
		if (!ended_there && !slot->killing && ssh_failed && rs->refused) {
			/* Refused, and ssh's own connection failed too: the item runs
			 * again, the host stays up with fewer slots. */
			slot_return_items(slot);
			spool_clear(&slot->out);
			spool_clear(&slot->err);
		} else if (!ended_there && !slot->killing && ssh_failed) {
			/* The job's end was never seen: its connection failed.  The item
			 * runs again (uncounted), and the host is down until it answers. */
			log_debug("slot %d: the connection to %s failed (%s): item %" PRIu64 " back to the queue",
				  slot->number, rs->host->login, said ? said : "no message", slot_oldest(slot)->seq);
			slot_return_items(slot);
			spool_clear(&slot->out);
			spool_clear(&slot->err);
			hosts_lost(remote->hosts, rs->host, said);
		} else {
			int final = ended_there ? reported_status(slot, rs->exit_code) : status;
			rs->host->done++;
			pool_finish_attempt(slot, slot_pop_item(slot), final, slot->error);
		}
		free(said);
	}
	bool refused = rs->refused;
	reset_attempt(rs);
	if (!slot->retiring) {
		if (rs->host && (refused || slot_should_move(remote, rs)))
			slot_leave_host(slot);
		struct host *host = rs->host ? NULL : roomiest_host(remote);
		if (host)
			slot_take_host(slot, host);
	}
	return !slot->retiring;
}

static void remote_timeout(struct slot *slot)
{
	job_slot_kind.timeout(slot);
}

static void remote_abort(struct slot *slot, const char *why)
{
	job_slot_kind.abort(slot, why);
}

static const char *signal_word(int signo)
{
	switch (signo) {
	case SIGTERM: return "TERM";
	case SIGKILL: return "KILL";
	case SIGSTOP: return "STOP";
	case SIGCONT: return "CONT";
	case SIGINT: return "INT";
	case SIGHUP: return "HUP";
	case SIGUSR1: return "USR1";
	case SIGUSR2: return "USR2";
	default: return NULL;
	}
}

/* TERM closes the job's stdin: the remote wrapper kills the job's group
 * (TERM, then KILL after the grace).  KILL also kills the local ssh at
 * once.  Other signals go to the remote group through the connection. */
static void remote_signal(struct slot *slot, int signo)
{
	struct remote_slot *rs = remote_slot(slot);
	if (!rs || !rs->host || rs->host->local) {
		slot_signal_process_group(slot, signo);
		return;
	}
	struct remote *remote = remote_of(slot->pool);
	const char *word = signal_word(signo);
	if (rs->remote_pid && word && signo != SIGTERM) {
		char *command = xasprintf("kill -%s -%d 2>/dev/null || kill -%s %d", word, (int)rs->remote_pid, word,
					  (int)rs->remote_pid);
		hosts_run_detached(remote->hosts, rs->host, command);
		free(command);
	}
	if (signo == SIGTERM)
		slot_close_fd(slot, &slot->in_fd);
	if (signo == SIGKILL)
		kill(-slot->pid, SIGKILL);
}

static char *remote_command(const struct slot *slot)
{
	return job_slot_kind.command(slot);
}

static void remote_close(struct slot *slot)
{
	struct remote_slot *rs = remote_slot(slot);
	if (!rs)
		return;
	slot_leave_host(slot);
	free(rs);
	slot->kind_data = NULL;
	remote_place_slots(remote_of(slot->pool));
}

static void remote_release(struct pool *pool)
{
	struct remote *remote = remote_of(pool);
	if (!remote)
		return;
	free(remote->counted);
	free(remote->told_down);
	free(remote);
	pool->kind_state = NULL;
}

static const char *remote_held(const struct pool *pool)
{
	struct remote *remote = remote_of(pool);
	return remote && hosts_all_down(remote->hosts) ? "hosts down" : NULL;
}

/* For the views: a slot on a remote host, and its job's pid there. */
static bool remote_where(const struct slot *slot, pid_t *remote_pid)
{
	const struct remote_slot *rs = remote_slot(slot);
	if (!rs || (rs->host && rs->host->local))
		return false;  /* a slot waiting for a host with room is remote yet */
	*remote_pid = rs->remote_pid;
	return true;
}

const struct slot_kind remote_slot_kind = {
	.name = "remote",
	.open = remote_open,
	.accepts_more = remote_accepts_more,
	.start = remote_start,
	.output = remote_output,
	.exited = remote_exited,
	.timeout = remote_timeout,
	.abort = remote_abort,
	.signal = remote_signal,
	.command = remote_command,
	.close = remote_close,
	.release = remote_release,
	.held = remote_held,
	.remote = remote_where,
	.cpu_seconds = remote_cpu_seconds,
};

struct pool *remote_pool_new(const struct pool_config *config, struct loop *loop, struct items *items,
			     const struct pool_events *events, struct hosts *hosts, bool shell)
{
	struct remote *remote = xcalloc(1, sizeof *remote);
	int count = hosts_count(hosts);
	remote->hosts = hosts;
	remote->shell = shell;
	remote->counted = xcalloc((size_t)count + 1, sizeof *remote->counted);
	remote->told_down = xcalloc((size_t)count + 1, sizeof *remote->told_down);
	struct pool_config one_at_a_time = *config;
	one_at_a_time.inflight = 1;  /* a job runs one item */
	int jobs = 0;
	for (int i = 0; i < count; i++) {
		int limit = host_slot_limit(hosts, hosts_at(hosts, i));
		remote->counted[i] = limit > 0;
		jobs += limit > 0 ? limit : 1;
	}
	one_at_a_time.jobs = jobs;
	remote->grace_seconds = config->grace < 1 ? 1 : (int)(config->grace + 0.999);
	struct pool *pool = pool_new_with_kind(&one_at_a_time, loop, items, events, &remote_slot_kind);
	if (!pool) {
		free(remote->counted);
		free(remote->told_down);
		free(remote);
		return NULL;
	}
	remote->pool = pool;
	pool->kind_state = remote;
	return pool;
}

int remote_pool_connect(struct pool *pool, char *error, size_t size)
{
	struct remote *remote = remote_of(pool);
	struct hosts_events events = { .up = host_up, .down = host_down, .data = remote };
	return hosts_start(remote->hosts, pool->loop, &events, error, size);
}
