/* hosts.c - the host table behind -S/--sshlogin: GNU parallel's login
 * syntax, the ssh command line for a host, and one OpenSSH control master
 * per remote host, run as a child of pooltop and watched from the loop. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hosts.h"
#include "log.h"
#include "pool.h"
#include "slot.h"
#include "xalloc.h"

/* A master that drops is tried again after 1 s, then twice as long each
 * time up to a minute: a host that is gone costs little. */
#define RETRY_FIRST_SECONDS 1.0
#define RETRY_MAX_SECONDS 60.0

/* What the master runs on the host: it says it is up and how many CPUs the
 * host has in one line, then holds its session open until its stdin ends
 * (pooltop closes it, or dies). */
#define MASTER_COMMAND \
	"printf 'pooltop-ready %s\\n' \"$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)\"; " \
	"exec cat >/dev/null"
#define MASTER_GREETING "pooltop-ready "

struct hosts {
	struct host **hosts;
	int count;
	size_t cap;
	char **ssh_words;            /* --ssh, split */
	int default_slots;           /* the slots of a host without N/ (0: its CPUs) */
	char *control_dir;           /* private directory of the control sockets */
	struct loop *loop;
	struct hosts_events events;
	int dev_null;                /* stdin and output of detached commands */
};

/* ---- words -------------------------------------------------------------- */

static char **split_words(const char *text, int *count)
{
	size_t cap = 0;
	char **words = NULL;
	int n = 0;
	for (const char *cursor = text;;) {
		while (*cursor && isspace((unsigned char)*cursor))
			cursor++;
		if (!*cursor)
			break;
		const char *start = cursor;
		while (*cursor && !isspace((unsigned char)*cursor))
			cursor++;
		xgrow(&words, &cap, (size_t)n + 2, sizeof *words);
		words[n++] = xstrndup(start, (size_t)(cursor - start));
	}
	xgrow(&words, &cap, (size_t)n + 1, sizeof *words);
	words[n] = NULL;
	*count = n;
	return words;
}

static void free_words(char **words)
{
	if (!words)
		return;
	for (char **word = words; *word; word++)
		free(*word);
	free(words);
}

static char **copy_words(char *const *words)
{
	int n = 0;
	while (words[n])
		n++;
	char **copy = xcalloc((size_t)n + 1, sizeof *copy);
	for (int i = 0; i < n; i++)
		copy[i] = xstrdup(words[i]);
	return copy;
}

/* ---- the table ---------------------------------------------------------- */

struct hosts *hosts_new(const char *ssh_command)
{
	struct hosts *hosts = xcalloc(1, sizeof *hosts);
	int count;
	hosts->ssh_words = split_words(ssh_command && *ssh_command ? ssh_command : "ssh", &count);
	if (!count) {
		free_words(hosts->ssh_words);
		hosts->ssh_words = split_words("ssh", &count);
	}
	hosts->dev_null = -1;
	return hosts;
}

static void host_free(struct host *host)
{
	free(host->login);
	free_words(host->ssh_words);
	free(host->destination);
	free(host->reason);
	free(host->control_path);
	free(host);
}

void hosts_free(struct hosts *hosts)
{
	if (!hosts)
		return;
	for (int i = 0; i < hosts->count; i++)
		host_free(hosts->hosts[i]);
	free(hosts->hosts);
	free_words(hosts->ssh_words);
	free(hosts->control_dir);
	if (hosts->dev_null >= 0)
		close(hosts->dev_null);
	free(hosts);
}

int hosts_count(const struct hosts *hosts)
{
	return hosts ? hosts->count : 0;
}

struct host *hosts_at(const struct hosts *hosts, int index)
{
	return index >= 0 && index < hosts->count ? hosts->hosts[index] : NULL;
}

static int wanted_slots(const struct hosts *hosts, const struct host *host)
{
	if (host->slots_set)
		return host->slots_set;
	if (host->slots_given)
		return host->slots_given;
	if (hosts->default_slots)
		return hosts->default_slots;
	/* sshd's MaxSessions (10 by default) bounds the channels of one
	 * connection, the master's own session among them. */
	if (!host->local && host->cpus > HOSTS_SESSIONS_PER_CONNECTION)
		return HOSTS_SESSIONS_PER_CONNECTION;
	return host->cpus;
}

int host_slot_limit(const struct hosts *hosts, const struct host *host)
{
	int slots = host->draining ? 0 : wanted_slots(hosts, host);
	return host->session_limit && host->session_limit < slots ? host->session_limit : slots;
}

bool hosts_all_down(const struct hosts *hosts)
{
	int counted = 0;
	for (int i = 0; i < hosts->count; i++) {
		if (hosts->hosts[i]->removed)
			continue;
		if (hosts->hosts[i]->state != HOST_DOWN)
			return false;
		counted++;
	}
	return counted > 0;
}

static int fail(char *error, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *error, size_t size, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	vsnprintf(error, size, format, args);
	va_end(args);
	return -1;
}

/* One login of a -S list: [N/]LOGIN. */
static int add_login(struct hosts *hosts, char *text, char *error, size_t size)
{
	char *login = text;
	while (isspace((unsigned char)*login))
		login++;
	size_t len = strlen(login);
	while (len && isspace((unsigned char)login[len - 1]))
		login[--len] = '\0';
	if (!*login)
		return fail(error, size, "invalid --sshlogin '%s': a login is empty", text);
	if (*login == '@')
		return fail(error, size, "invalid --sshlogin '%s': host groups (@GROUP/) are not supported", login);
	/* As GNU parallel: leading digits and a slash give the slot count
	 * ("//usr/bin/ssh host" is an ssh command with no count). */
	int slots = 0;
	size_t digits = strspn(login, "0123456789");
	if (login[digits] == '/') {
		if (digits) {
			long n = strtol(login, NULL, 10);
			if (n < 1 || n > POOL_MAX_JOBS || digits > 5) {
				snprintf(error, size, "invalid --sshlogin '%s': the slot count N/ must be 1 to %d",
					 login, POOL_MAX_JOBS);
				return -1;
			}
			slots = (int)n;
		}
		login += digits + 1;
	}
	int count;
	char **words = split_words(login, &count);
	if (!count) {
		free_words(words);
		return fail(error, size, "invalid --sshlogin '%s': no host name", text);
	}
	for (int i = 0; i < hosts->count; i++) {
		if (strcmp(hosts->hosts[i]->login, login))
			continue;
		if (slots)
			hosts->hosts[i]->slots_given = slots;
		free_words(words);
		return 0;
	}
	struct host *host = xcalloc(1, sizeof *host);
	host->table = hosts;
	host->index = hosts->count;
	host->login = xstrdup(login);
	host->local = !strcmp(login, HOSTS_LOCAL);
	if (host->local) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		host->cpus = cpus > 0 ? (int)cpus : 1;
	}
	host->slots_given = slots;
	host->destination = xstrdup(words[count - 1]);
	/* "SSHCOMMAND [OPTIONS] HOST": the login brings its own ssh command. */
	free(words[count - 1]);
	words[count - 1] = NULL;
	if (count > 1) {
		host->ssh_words = words;
	} else {
		free_words(words);
		host->ssh_words = copy_words(hosts->ssh_words);
	}
	host->master_pid = 0;
	host->master_in = host->master_out = host->master_err = -1;
	host->retry_delay = RETRY_FIRST_SECONDS;
	xgrow(&hosts->hosts, &hosts->cap, (size_t)hosts->count + 1, sizeof *hosts->hosts);
	hosts->hosts[hosts->count++] = host;
	return 0;
}

int hosts_add_list(struct hosts *hosts, const char *list, int default_slots, char *error, size_t size)
{
	hosts->default_slots = default_slots;
	/* Split at commas; ",," and "\," are a comma inside a login. */
	char *text = xmalloc(strlen(list) + 1);
	size_t len = 0;
	int status = 0;
	for (const char *cursor = list;; cursor++) {
		if ((*cursor == ',' && cursor[1] == ',') || (*cursor == '\\' && cursor[1] == ',')) {
			text[len++] = ',';
			cursor++;
			continue;
		}
		if (*cursor && *cursor != ',') {
			text[len++] = *cursor;
			continue;
		}
		text[len] = '\0';
		if ((status = add_login(hosts, text, error, size)))
			break;
		len = 0;
		if (!*cursor)
			break;
	}
	free(text);
	return status;
}

/* ---- ssh command lines -------------------------------------------------- */

char **hosts_ssh_argv(const struct hosts *hosts, const struct host *host, bool master,
		      const char *remote_command)
{
	char control_path[4096];
	snprintf(control_path, sizeof control_path, "ControlPath=%s", host->control_path ? host->control_path : "none");
	(void)hosts;
	/* Options on the command line win over ssh_config: no prompt ever
	 * (BatchMode), no terminal, and the host's control socket. */
	const char *master_options[] = { "-o", "ControlMaster=yes", "-o", "ControlPersist=no",
					 "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3" };
	const char *job_options[] = { "-o", "ControlMaster=no" };
	const char *common[] = { "-o", "BatchMode=yes", "-T", "-o", control_path };
	const char **extra = master ? master_options : job_options;
	size_t nextra = master ? sizeof master_options / sizeof *master_options
			       : sizeof job_options / sizeof *job_options;
	size_t ncommon = sizeof common / sizeof *common;

	size_t nwords = 0;
	while (host->ssh_words[nwords])
		nwords++;
	const char **words = xmalloc((nwords + ncommon + nextra + 2) * sizeof *words);
	size_t at = 0;
	words[at++] = host->ssh_words[0];
	for (size_t i = 0; i < ncommon; i++)
		words[at++] = common[i];
	for (size_t i = 0; i < nextra; i++)
		words[at++] = extra[i];
	/* The login's own options come after ours: ssh keeps the first value
	 * of an option, and ours must hold. */
	for (size_t i = 1; i < nwords; i++)
		words[at++] = host->ssh_words[i];
	words[at++] = host->destination;
	words[at++] = remote_command;
	char **argv = proc_argv_join(words, at, NULL);
	free(words);
	return argv;
}

/* ---- the control masters ------------------------------------------------ */

static void master_start(struct hosts *hosts, struct host *host);

static void retry_due(struct loop *loop, void *data)
{
	(void)loop;
	struct host *host = data;
	host->retry_timer = 0;
	log_debug("host %s: connecting again", host->login);
	master_start(host->table, host);
}

static void close_master_fds(struct host *host)
{
	struct loop *loop = host->table->loop;
	if (host->master_out >= 0) {
		loop_del_fd(loop, host->master_out);
		close(host->master_out);
	}
	if (host->master_err >= 0) {
		loop_del_fd(loop, host->master_err);
		close(host->master_err);
	}
	if (host->master_in >= 0)
		close(host->master_in);
	host->master_in = host->master_out = host->master_err = -1;
}

/* Keep the last of the master's stderr: its last line says why it failed. */
static void keep_error_text(struct host *host, const char *data, size_t len)
{
	size_t room = sizeof host->err_text - 1;
	if (len >= room) {
		data += len - room;
		len = room;
	}
	if (host->err_len + len > room) {
		size_t drop = host->err_len + len - room;
		memmove(host->err_text, host->err_text + drop, host->err_len - drop);
		host->err_len -= drop;
	}
	memcpy(host->err_text + host->err_len, data, len);
	host->err_len += len;
	host->err_text[host->err_len] = '\0';
}

static void read_master_errors(struct host *host)
{
	char buffer[1024];
	ssize_t n;
	while (host->master_err >= 0) {
		n = read(host->master_err, buffer, sizeof buffer);
		if (n > 0) {
			keep_error_text(host, buffer, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		loop_del_fd(host->table->loop, host->master_err);
		close(host->master_err);
		host->master_err = -1;
	}
}

/* The last non-empty line of what ssh said, or NULL. */
static char *last_error_line(struct host *host)
{
	char *text = host->err_text;
	size_t len = host->err_len;
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
		len--;
	if (!len)
		return NULL;
	size_t start = len;
	while (start && text[start - 1] != '\n')
		start--;
	char *line = xstrndup(text + start, len - start);
	for (char *c = line; *c; c++)
		if (*c == '\r')
			*c = ' ';
	return line;
}

static void host_goes_down(struct hosts *hosts, struct host *host, const char *fallback)
{
	read_master_errors(host);
	char *said = last_error_line(host);
	free(host->reason);
	if (host->ever_up)
		host->reason = xasprintf("connection lost: %s", said ? said : fallback);
	else
		host->reason = xasprintf("unreachable: %s", said ? said : fallback);
	free(said);
	close_master_fds(host);
	if (host->master_pid > 0)
		kill(-host->master_pid, SIGTERM);
	host->master_pid = 0;
	host->state = HOST_DOWN;
	host->out_len = host->err_len = 0;
	log_debug("host %s: down (%s); retried in %.0f s", host->login, host->reason, host->retry_delay);
	loop_del_timer(hosts->loop, host->retry_timer);
	host->retry_timer = loop_add_timer(hosts->loop, host->retry_delay, retry_due, host);
	host->retry_delay = host->retry_delay * 2 > RETRY_MAX_SECONDS ? RETRY_MAX_SECONDS : host->retry_delay * 2;
	if (hosts->events.down)
		hosts->events.down(hosts->events.data, host);
}

void hosts_lost(struct hosts *hosts, struct host *host, const char *reason)
{
	if (host->local || host->state == HOST_DOWN)
		return;
	if (reason) {
		host->err_len = 0;
		keep_error_text(host, reason, strlen(reason));
	}
	host_goes_down(hosts, host, "the connection failed");
}

static void master_output(struct loop *loop, int fd, short revents, void *data)
{
	(void)loop;
	(void)fd;
	(void)revents;
	struct host *host = data;
	struct hosts *hosts = host->table;
	char buffer[256];
	ssize_t n;
	do
		n = read(host->master_out, buffer, sizeof buffer);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		host_goes_down(hosts, host, "the connection closed");
		return;
	}
	if (host->state != HOST_CONNECTING)
		return;  /* only the greeting matters */
	size_t take = (size_t)n;
	if (take > sizeof host->out_line - 1 - host->out_len)
		take = sizeof host->out_line - 1 - host->out_len;
	memcpy(host->out_line + host->out_len, buffer, take);
	host->out_len += take;
	host->out_line[host->out_len] = '\0';
	char *greeting = strstr(host->out_line, MASTER_GREETING);
	if (!greeting || !strchr(greeting, '\n'))
		return;
	int cpus = atoi(greeting + strlen(MASTER_GREETING));
	host->cpus = cpus > 0 ? cpus : 1;
	host->state = HOST_UP;
	host->ever_up = true;
	host->retry_delay = RETRY_FIRST_SECONDS;
	free(host->reason);
	host->reason = NULL;
	host->err_len = 0;
	log_debug("host %s: up, %d CPUs, %d slots", host->login, host->cpus, host_slot_limit(hosts, host));
	if (hosts->events.up)
		hosts->events.up(hosts->events.data, host);
}

static void master_errors(struct loop *loop, int fd, short revents, void *data)
{
	(void)loop;
	(void)fd;
	(void)revents;
	read_master_errors(data);
}

static void master_start(struct hosts *hosts, struct host *host)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, exec_errno = 0;
	host->state = HOST_CONNECTING;
	host->out_len = host->err_len = 0;
	/* A socket a killed master left would stop the new one from listening. */
	unlink(host->control_path);
	if (pipe2(in, O_CLOEXEC) || proc_pipe(out) || proc_pipe(err)) {
		int saved = errno;
		for (int i = 0; i < 2; i++) {
			if (in[i] >= 0)
				close(in[i]);
			if (out[i] >= 0)
				close(out[i]);
		}
		keep_error_text(host, strerror(saved), strlen(strerror(saved)));
		host_goes_down(hosts, host, "cannot make a pipe");
		return;
	}
	char **argv = hosts_ssh_argv(hosts, host, true, MASTER_COMMAND);
	pid_t pid = proc_spawn(argv, in[0], out[1], err[1], &exec_errno);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	host->master_in = in[1];
	host->master_out = out[0];
	host->master_err = err[0];
	if (!pid) {
		int code;
		char *text = xasprintf("%s: %s", argv[0], proc_exec_error(exec_errno, &code));
		keep_error_text(host, text, strlen(text));
		free(text);
		free(argv);
		host_goes_down(hosts, host, "cannot run ssh");
		return;
	}
	free(argv);
	host->master_pid = pid;
	log_debug("host %s: control master pid %d starting", host->login, (int)pid);
	loop_add_fd(hosts->loop, host->master_out, POLLIN, master_output, host);
	loop_add_fd(hosts->loop, host->master_err, POLLIN, master_errors, host);
}

/* The private directory of the control sockets, made once. */
static int make_control_dir(struct hosts *hosts, char *error, size_t size)
{
	if (hosts->control_dir)
		return 0;
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/pooltop-ssh.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	/* mkdtemp makes it mode 0700: the sockets in it are ours alone. */
	if (!mkdtemp(dir)) {
		snprintf(error, size, "cannot make a directory for the ssh control sockets ('%s'): %s", dir,
			 strerror(errno));
		free(dir);
		return -1;
	}
	hosts->control_dir = dir;
	if (hosts->dev_null < 0)
		hosts->dev_null = open("/dev/null", O_RDWR | O_CLOEXEC);
	return 0;
}

int hosts_start(struct hosts *hosts, struct loop *loop, const struct hosts_events *events, char *error,
		size_t size)
{
	hosts->loop = loop;
	hosts->events = *events;
	for (int i = 0; i < hosts->count; i++)
		if (!hosts->hosts[i]->local && make_control_dir(hosts, error, size))
			return -1;
	for (int i = 0; i < hosts->count; i++)
		hosts_connect(hosts, hosts->hosts[i]);
	return 0;
}

void hosts_connect(struct hosts *hosts, struct host *host)
{
	if (host->local) {
		host->state = HOST_UP;
		host->ever_up = true;
		if (hosts->events.up)
			hosts->events.up(hosts->events.data, host);
		return;
	}
	char error[256];
	if (make_control_dir(hosts, error, sizeof error)) {
		keep_error_text(host, error, strlen(error));
		host_goes_down(hosts, host, "no directory for the control sockets");
		return;
	}
	if (!host->control_path)
		host->control_path = xasprintf("%s/%d", hosts->control_dir, host->index);
	master_start(hosts, host);
}

int hosts_default_slots(const struct hosts *hosts)
{
	return hosts->default_slots;
}

struct host *hosts_find(const struct hosts *hosts, const char *login)
{
	for (int i = 0; i < hosts->count; i++)
		if (!strcmp(hosts->hosts[i]->login, login))
			return hosts->hosts[i];
	return NULL;
}

int hosts_run_detached(struct hosts *hosts, const struct host *host, const char *remote_command)
{
	if (host->local || host->state != HOST_UP || hosts->dev_null < 0)
		return -1;
	char **argv = hosts_ssh_argv(hosts, host, false, remote_command);
	int exec_errno;
	/* Reaped with every other child (pool_reap); nobody waits for it. */
	pid_t pid = proc_spawn(argv, hosts->dev_null, hosts->dev_null, hosts->dev_null, &exec_errno);
	free(argv);
	return pid ? 0 : -1;
}

/* Killing the master ends the connection at once, as `ssh -O exit` would,
 * without a wait on a command: the remote sessions see their input end and
 * their jobs are killed there (remote.c). */
static void master_close(struct host *host)
{
	if (host->table->loop)
		loop_del_timer(host->table->loop, host->retry_timer);
	host->retry_timer = 0;
	if (host->master_in >= 0 || host->master_out >= 0)
		close_master_fds(host);
	if (host->master_pid > 0)
		kill(-host->master_pid, SIGTERM);
	host->master_pid = 0;
	if (host->control_path)
		unlink(host->control_path);
}

void hosts_disconnect(struct hosts *hosts, struct host *host)
{
	(void)hosts;
	if (host->local) {
		host->state = HOST_DOWN;
		return;
	}
	log_debug("host %s: closing its connection", host->login);
	master_close(host);
	host->state = HOST_DOWN;
	host->out_len = host->err_len = 0;
}

void hosts_close(struct hosts *hosts)
{
	if (!hosts)
		return;
	for (int i = 0; i < hosts->count; i++)
		master_close(hosts->hosts[i]);
	if (hosts->control_dir) {
		rmdir(hosts->control_dir);
		free(hosts->control_dir);
		hosts->control_dir = NULL;
	}
}
