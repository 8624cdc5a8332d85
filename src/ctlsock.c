/* ctlsock.c - the control socket and its client.  The server lives in the
 * event loop: non-blocking connections, a bounded input line and a bounded
 * output buffer per client, a bounded number of clients that time out when
 * idle, so no client can stall the run, grow memory or take its fds. */
#include "ctlsock.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

#define MAX_OUTPUT (1 << 20)     /* replies a client has not read yet */
#define READS_PER_WAKEUP 16      /* then let other clients have a turn */
#define ACCEPTS_PER_WAKEUP 64    /* then let the rest of the loop have a turn */
#define ACCEPT_RETRY_SECONDS 1.0 /* out of fds: try again after this, or when a client leaves */
#define CLIENT_REPLY_SECONDS 10  /* pooltop ctl gives up after this */

struct client {
	struct ctlsock *sock;
	struct client *next;
	int fd;                      /* -1 once dropped */
	char input[CONTROL_MAX_LINE];/* the line being received */
	size_t input_len;
	bool discarding;             /* an overlong line: skip to its newline */
	bool peer_done;              /* the peer sent EOF: close once output is written */
	char *output;                /* replies waiting for the peer to read them */
	size_t output_len, output_cap;
	bool watching;               /* `watch`: a status object each refresh */
	uint64_t idle_timer;         /* closes the client when no command comes */
};

struct ctlsock {
	struct loop *loop;
	struct control *control;
	int listen_fd;
	char *path;
	dev_t device;                /* identity of the file we bound, so we only */
	ino_t inode;                 /* ever remove our own socket */
	struct ctlsock_limits limits;
	struct client *clients;
	int nclients;
	double refresh;              /* seconds between two objects to watchers */
	uint64_t watch_timer;        /* the next object, 0 while nobody watches */
	bool accept_paused;          /* out of fds: listen_fd is not watched */
	uint64_t accept_timer;       /* when to try accepting again */
};

static int set_error(char *error, size_t size, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static int set_error(char *error, size_t size, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	vsnprintf(error, size, format, args);
	va_end(args);
	return -1;
}

static int make_address(const char *path, struct sockaddr_un *address)
{
	memset(address, 0, sizeof *address);
	address->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof address->sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(address->sun_path, path);
	return 0;
}

/* ---- clients ------------------------------------------------------------ */

static void accept_resume(struct ctlsock *sock);

static void client_drop(struct client *client)
{
	if (client->fd < 0)
		return;
	loop_del_timer(client->sock->loop, client->idle_timer);
	client->idle_timer = 0;
	loop_del_fd(client->sock->loop, client->fd);
	close(client->fd);
	client->fd = -1;
}

/* Unlink a dropped client from the list and free it.  Its fd is free
 * again: accepting resumes if it had stopped for want of one. */
static void client_free(struct client *client)
{
	struct ctlsock *sock = client->sock;
	for (struct client **link = &sock->clients; *link; link = &(*link)->next) {
		if (*link != client)
			continue;
		*link = client->next;
		sock->nclients--;
		break;
	}
	client_drop(client);
	free(client->output);
	free(client);
	accept_resume(sock);
}

/* A client that sent no whole command for the idle time is told why and
 * closed: it would hold an fd and a place among the clients for ever. */
static void client_idle(struct loop *loop, void *data)
{
	(void)loop;
	struct client *client = data;
	client->idle_timer = 0;
	log_debug("control socket: a client sent no command for %g s: closed", client->sock->limits.idle_seconds);
	char text[128];
	snprintf(text, sizeof text, "error idle for %g s without a command: closing\n",
		 client->sock->limits.idle_seconds);
	send(client->fd, text, strlen(text), MSG_NOSIGNAL | MSG_DONTWAIT);
	client_free(client);
}

static void client_arm_idle_timer(struct client *client)
{
	struct loop *loop = client->sock->loop;
	loop_del_timer(loop, client->idle_timer);
	client->idle_timer = loop_add_timer(loop, client->sock->limits.idle_seconds, client_idle, client);
}

static void client_flush(struct client *client)
{
	while (client->fd >= 0 && client->output_len) {
		ssize_t n = send(client->fd, client->output, client->output_len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			client_drop(client);
			return;
		}
		client->output_len -= (size_t)n;
		memmove(client->output, client->output + n, client->output_len);
	}
	if (client->fd < 0)
		return;
	if (!client->output_len && client->peer_done) {
		client_drop(client);
		return;
	}
	short events = client->peer_done ? 0 : POLLIN;
	if (client->output_len)
		events |= POLLOUT;
	loop_set_events(client->sock->loop, client->fd, events);
}

/* Queue one reply line.  A client whose unread replies pass MAX_OUTPUT
 * has stopped reading: it is dropped rather than allowed to grow memory. */
static void client_reply(struct client *client, const char *text)
{
	size_t len = strlen(text);
	if (client->output_len + len + 1 > MAX_OUTPUT) {
		client_drop(client);
		return;
	}
	xgrow(&client->output, &client->output_cap, client->output_len + len + 1, 1);
	memcpy(client->output + client->output_len, text, len);
	client->output[client->output_len + len] = '\n';
	client->output_len += len + 1;
	client_flush(client);
}

/* ---- watch: a status object per refresh ---------------------------------- */

static void watch_due(struct loop *loop, void *data);

/* Send every watcher the status; a watcher whose unread objects pass
 * MAX_OUTPUT is dropped, as any client that stops reading.  The timer
 * runs only while someone watches. */
static void watch_send(struct ctlsock *sock)
{
	char *json = NULL;
	bool watched = false;
	for (struct client *client = sock->clients, *next; client; client = next) {
		next = client->next;
		if (!client->watching || client->fd < 0)
			continue;
		if (!json)
			json = control_status_json(sock->control);
		client_reply(client, json);
		if (client->fd < 0)
			client_free(client);
		else
			watched = true;
	}
	free(json);
	if (watched && !sock->watch_timer)
		sock->watch_timer = loop_add_timer(sock->loop, sock->refresh, watch_due, sock);
}

static void watch_due(struct loop *loop, void *data)
{
	(void)loop;
	struct ctlsock *sock = data;
	sock->watch_timer = 0;
	watch_send(sock);
}

/* The client asked to watch: its first object comes at the next refresh. */
static void client_watch(struct client *client)
{
	struct ctlsock *sock = client->sock;
	client->watching = true;
	/* A watcher is not idle: it waits for objects, not to be closed. */
	loop_del_timer(sock->loop, client->idle_timer);
	client->idle_timer = 0;
	if (!sock->watch_timer)
		sock->watch_timer = loop_add_timer(sock->loop, sock->refresh, watch_due, sock);
}

/* Commands are plain text: anything else gets an error, not a verb. */
static const char *line_problem(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c == '\0')
			return "error NUL byte in command";
		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return "error binary data in command: send plain text, one command per line";
	}
	return NULL;
}

static void client_run_line(struct client *client)
{
	size_t len = client->input_len;
	if (len && client->input[len - 1] == '\r')
		len--;
	const char *problem = line_problem(client->input, len);
	if (problem) {
		client_reply(client, problem);
		return;
	}
	client->input[len] = '\0';
	int status;
	char *reply = control_execute(client->sock->control, client->input, &status);
	client_reply(client, reply);
	free(reply);
	if (status == CONTROL_WATCH && client->fd >= 0)
		client_watch(client);
}

/* Split received bytes into lines.  A line over the limit is answered
 * with one error as soon as it is too long, and skipped to its newline. */
static void client_take(struct client *client, const char *data, size_t len)
{
	while (len && client->fd >= 0) {
		const char *newline = memchr(data, '\n', len);
		size_t take = newline ? (size_t)(newline - data) : len;
		if (client->discarding) {
			/* nothing to keep */
		} else if (client->input_len + take >= CONTROL_MAX_LINE) {
			client->input_len = 0;
			client->discarding = true;
			client_reply(client, "error line too long (a command has at most 4095 bytes)");
		} else {
			memcpy(client->input + client->input_len, data, take);
			client->input_len += take;
		}
		if (!newline)
			return;
		if (!client->watching)
			client_arm_idle_timer(client);
		if (!client->discarding)
			client_run_line(client);
		client->discarding = false;
		client->input_len = 0;
		data += take + 1;
		len -= take + 1;
	}
}

/* The peer closed its end: an unfinished line is dropped, never run
 * (half of "jobs 16" must not become "jobs 1"). */
static void client_eof(struct client *client)
{
	client->peer_done = true;
	client->input_len = 0;
	client_flush(client);
}

static void client_ready(struct loop *loop, int fd, short revents, void *data)
{
	(void)loop;
	(void)fd;
	struct client *client = data;
	if (revents & (POLLERR | POLLNVAL)) {
		client_free(client);
		return;
	}
	if (revents & POLLOUT)
		client_flush(client);
	if (client->fd >= 0 && !client->peer_done && (revents & (POLLIN | POLLHUP))) {
		for (int reads = 0; reads < READS_PER_WAKEUP && client->fd >= 0; reads++) {
			char buffer[4096];
			ssize_t n = read(client->fd, buffer, sizeof buffer);
			if (n > 0) {
				client_take(client, buffer, (size_t)n);
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
			client_eof(client);
			break;
		}
	}
	if (client->fd < 0)
		client_free(client);
}

/* Say why, then close: the peer learns what went wrong. */
static void refuse(int fd, const char *text)
{
	send(fd, text, strlen(text), MSG_NOSIGNAL | MSG_DONTWAIT);
	close(fd);
}

static bool peer_allowed(int fd)
{
	struct ucred credentials;
	socklen_t len = sizeof credentials;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &len) || len != sizeof credentials)
		return false;
	return credentials.uid == geteuid();
}

static void accept_resume(struct ctlsock *sock)
{
	if (!sock->accept_paused)
		return;
	sock->accept_paused = false;
	loop_del_timer(sock->loop, sock->accept_timer);
	sock->accept_timer = 0;
	loop_set_events(sock->loop, sock->listen_fd, POLLIN);
}

static void accept_retry(struct loop *loop, void *data)
{
	(void)loop;
	struct ctlsock *sock = data;
	sock->accept_timer = 0;
	accept_resume(sock);
}

/* Out of fds: a waiting connection would make poll() return at once, for
 * ever.  Stop watching until a client leaves or a moment has passed. */
static void accept_pause(struct ctlsock *sock, int error)
{
	log_debug("control socket: cannot accept a connection (%s): trying again in %g s or when a client leaves",
		  strerror(error), ACCEPT_RETRY_SECONDS);
	sock->accept_paused = true;
	loop_set_events(sock->loop, sock->listen_fd, 0);
	sock->accept_timer = loop_add_timer(sock->loop, ACCEPT_RETRY_SECONDS, accept_retry, sock);
}

static void ctlsock_accept(struct loop *loop, int fd, short revents, void *data)
{
	(void)revents;
	struct ctlsock *sock = data;
	for (int accepted = 0; accepted < ACCEPTS_PER_WAKEUP; accepted++) {
		int client_fd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (client_fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;  /* a connection that went away meanwhile */
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				accept_pause(sock, errno);
			return;  /* EAGAIN: none left */
		}
		if (!peer_allowed(client_fd)) {
			refuse(client_fd, "error permission denied: the control socket serves only its owner\n");
			continue;
		}
		if (sock->nclients >= sock->limits.max_clients) {
			log_debug("control socket: %d clients already: one more refused", sock->nclients);
			char text[128];
			snprintf(text, sizeof text, "error too many connections (%d at once), try again later\n",
				 sock->limits.max_clients);
			refuse(client_fd, text);
			continue;
		}
		struct client *client = xmalloc(sizeof *client);
		client->sock = sock;
		client->fd = client_fd;
		client->input_len = client->output_len = client->output_cap = 0;
		client->output = NULL;
		client->discarding = client->peer_done = client->watching = false;
		client->idle_timer = 0;
		loop_add_fd(loop, client_fd, POLLIN, client_ready, client);
		client_arm_idle_timer(client);
		client->next = sock->clients;
		sock->clients = client;
		sock->nclients++;
	}
}

/* ---- the socket file ---------------------------------------------------- */

/* A path already there is reused only if it is a socket nobody listens on
 * (left behind by a pooltop that was killed). */
static int clear_stale_socket(const char *path, const struct sockaddr_un *address, char *error,
			      size_t size)
{
	struct stat st;
	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		return set_error(error, size, "cannot use '%s' as the control socket: %s", path, strerror(errno));
	}
	if (!S_ISSOCK(st.st_mode))
		return set_error(error, size, "'%s' exists and is not a socket: give --control another path",
				 path);
	/* Non-blocking: a listener whose queue is full would make connect()
	 * wait for ever, with the signals that could stop it blocked. */
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return set_error(error, size, "cannot create a socket: %s", strerror(errno));
	int status = connect(fd, (const struct sockaddr *)address, sizeof *address);
	int connect_errno = errno;
	close(fd);
	if (status == 0)
		return set_error(error, size, "'%s' is in use: another process listens on it", path);
	if (connect_errno == EAGAIN || connect_errno == EINPROGRESS)
		return set_error(error, size, "'%s' is in use: another process listens on it (and accepts "
				 "no connection now)", path);
	if (connect_errno != ECONNREFUSED)
		return set_error(error, size, "cannot use '%s' as the control socket: %s", path,
				 strerror(connect_errno));
	if (unlink(path) && errno != ENOENT)
		return set_error(error, size, "cannot remove the stale socket '%s': %s", path, strerror(errno));
	return 0;
}

/* Bind with a umask that leaves the file at 0600: no moment in which
 * another user could connect. */
static int bind_private(int fd, const char *path, const struct sockaddr_un *address, char *error,
			size_t size)
{
	mode_t saved = umask(0177);
	int status = bind(fd, (const struct sockaddr *)address, sizeof *address);
	int bind_errno = errno;
	umask(saved);
	if (status)
		return set_error(error, size, "cannot create the control socket '%s': %s", path,
				 strerror(bind_errno));
	if (chmod(path, 0600)) {
		int chmod_errno = errno;
		unlink(path);
		return set_error(error, size, "cannot make '%s' private: %s", path, strerror(chmod_errno));
	}
	return 0;
}

struct ctlsock *ctlsock_open(struct loop *loop, struct control *control, const char *path,
			     const struct ctlsock_limits *limits, char *error, size_t error_size)
{
	struct sockaddr_un address;
	if (make_address(path, &address)) {
		set_error(error, error_size, "control socket path '%s' is too long (at most %zu bytes)", path,
			  sizeof address.sun_path - 1);
		return NULL;
	}
	if (clear_stale_socket(path, &address, error, error_size))
		return NULL;
	struct ctlsock *sock = xcalloc(1, sizeof *sock);
	sock->path = xstrdup(path);
	sock->loop = loop;
	sock->control = control;
	sock->refresh = 1;
	sock->limits = *limits;
	if (sock->limits.max_clients < 1)
		sock->limits.max_clients = 1;
	sock->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (sock->listen_fd < 0) {
		set_error(error, error_size, "cannot create a socket: %s", strerror(errno));
		goto fail;
	}
	if (bind_private(sock->listen_fd, path, &address, error, error_size))
		goto fail;
	struct stat st;
	if (stat(path, &st) == 0) {
		sock->device = st.st_dev;
		sock->inode = st.st_ino;
	}
	if (listen(sock->listen_fd, 64)) {
		set_error(error, error_size, "cannot listen on '%s': %s", path, strerror(errno));
		unlink(path);
		goto fail;
	}
	loop_add_fd(loop, sock->listen_fd, POLLIN, ctlsock_accept, sock);
	return sock;
fail:
	if (sock->listen_fd >= 0)
		close(sock->listen_fd);
	free(sock->path);
	free(sock);
	return NULL;
}

void ctlsock_set_refresh(struct ctlsock *sock, double seconds)
{
	if (sock && seconds > 0)
		sock->refresh = seconds;
}

void ctlsock_unlink(struct ctlsock *sock)
{
	if (!sock || !sock->path)
		return;
	struct stat st;
	if (lstat(sock->path, &st) == 0 && st.st_dev == sock->device && st.st_ino == sock->inode)
		unlink(sock->path);
	free(sock->path);
	sock->path = NULL;
}

void ctlsock_close(struct ctlsock *sock)
{
	if (!sock)
		return;
	ctlsock_unlink(sock);
	while (sock->clients) {
		client_flush(sock->clients);  /* a last try: e.g. the reply to quit */
		client_free(sock->clients);
	}
	loop_del_timer(sock->loop, sock->watch_timer);
	loop_del_timer(sock->loop, sock->accept_timer);
	loop_del_fd(sock->loop, sock->listen_fd);
	close(sock->listen_fd);
	free(sock);
}

/* ---- the client: pooltop ctl -------------------------------------------- */

static int client_connect(const char *path)
{
	struct sockaddr_un address;
	if (make_address(path, &address)) {
		fprintf(stderr, "pooltop: ctl: socket path '%s' is too long (at most %zu bytes)\n", path,
			sizeof address.sun_path - 1);
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "pooltop: ctl: cannot create a socket: %s\n", strerror(errno));
		return -1;
	}
	/* A listener whose queue is full would keep connect() waiting: the
	 * send timeout bounds that wait too. */
	struct timeval timeout = { .tv_sec = CLIENT_REPLY_SECONDS };
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
	if (connect(fd, (const struct sockaddr *)&address, sizeof address) == 0)
		return fd;
	int connect_errno = errno;
	close(fd);
	if (connect_errno == EAGAIN || connect_errno == EINPROGRESS)
		fprintf(stderr, "pooltop: ctl: '%s' is busy: no connection was accepted within %d s\n", path,
			CLIENT_REPLY_SECONDS);
	else if (connect_errno == ENOENT)
		fprintf(stderr, "pooltop: ctl: no socket at '%s' (is pooltop running with --control=%s?)\n",
			path, path);
	else if (connect_errno == ECONNREFUSED)
		fprintf(stderr, "pooltop: ctl: nothing listens on '%s' (has that pooltop exited?)\n", path);
	else
		fprintf(stderr, "pooltop: ctl: cannot connect to '%s': %s\n", path, strerror(connect_errno));
	return -1;
}

static char *join_words(char **words, int count)
{
	size_t len = 0;
	for (int i = 0; i < count; i++) {
		if (strchr(words[i], '\n')) {
			fputs("pooltop: ctl: a command word contains a newline\n", stderr);
			return NULL;
		}
		len += strlen(words[i]) + 1;
	}
	if (len >= CONTROL_MAX_LINE) {
		fprintf(stderr, "pooltop: ctl: the command is too long (at most %d bytes)\n", CONTROL_MAX_LINE - 1);
		return NULL;
	}
	char *line = xmalloc(len + 1);
	char *at = line;
	for (int i = 0; i < count; i++)
		at += sprintf(at, "%s%s", i ? " " : "", words[i]);
	*at++ = '\n';
	*at = '\0';
	return line;
}

static int send_line(int fd, const char *line)
{
	size_t len = strlen(line), sent = 0;
	while (sent < len) {
		ssize_t n = send(fd, line + sent, len - sent, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		sent += (size_t)n;
	}
	return 0;
}

/* Read one reply line (without its newline), however long (a status
 * with many workers), waiting at most CLIENT_REPLY_SECONDS for each part
 * of it.  *reply is malloc'd; what came after the line (the first lines
 * of a watch) stays after its NUL, *extra bytes of it. */
static int read_reply(int fd, char **reply, size_t *extra)
{
	size_t len = 0, cap = 0;
	*reply = NULL;
	*extra = 0;
	for (;;) {
		xgrow(reply, &cap, len + 4096, 1);
		struct pollfd entry = { .fd = fd, .events = POLLIN };
		int ready = poll(&entry, 1, CLIENT_REPLY_SECONDS * 1000);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			return -1;
		ssize_t n = read(fd, *reply + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		char *newline = memchr(*reply + len, '\n', (size_t)n);
		len += (size_t)n;
		if (newline) {
			*newline = '\0';
			*extra = len - (size_t)(newline + 1 - *reply);
			return 0;
		}
	}
	(*reply)[len] = '\0';
	return len ? 0 : -1;
}

/* After `watch`: copy the status lines to stdout as they come, until
 * pooltop closes the connection (it exited) or stdout is gone. */
static int stream_replies(int fd)
{
	char buffer[8192];
	for (;;) {
		ssize_t n = read(fd, buffer, sizeof buffer);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (fwrite(buffer, 1, (size_t)n, stdout) != (size_t)n || fflush(stdout))
			return 255;
	}
}

int ctlsock_client(const char *path, char **words, int count)
{
	char *line = join_words(words, count);
	if (!line)
		return 255;
	int fd = client_connect(path);
	if (fd < 0) {
		free(line);
		return 255;
	}
	/* Even when sending fails, the server may have said why (a refusal). */
	char *reply;
	size_t extra;
	send_line(fd, line);
	free(line);
	int status = read_reply(fd, &reply, &extra);
	if (status) {
		free(reply);
		close(fd);
		fprintf(stderr, "pooltop: ctl: no reply from '%s'\n", path);
		return 255;
	}
	puts(reply);
	status = 255;
	if (!strncmp(reply, "ok", 2) && (reply[2] == ' ' || !reply[2]))
		status = 0;
	else if (!strncmp(reply, "error", 5))
		status = 1;
	if (status == 0 && count == 1 && !strcmp(words[0], "watch")) {
		fwrite(reply + strlen(reply) + 1, 1, extra, stdout);
		fflush(stdout);
		status = stream_replies(fd);
	}
	free(reply);
	close(fd);
	return status;
}

int ctlsock_idle_seconds_from_env(double *seconds, char *error, size_t size)
{
	*seconds = CTLSOCK_IDLE_SECONDS;
	const char *text = getenv("POOLTOP_CONTROL_IDLE_SECONDS");
	if (!text || !*text)
		return 0;
	char *end;
	errno = 0;
	double value = strtod(text, &end);
	if (errno || *end || !(value > 0) || value > 86400 * 365) {
		snprintf(error, size, "POOLTOP_CONTROL_IDLE_SECONDS is '%.200s': give a number of seconds above 0",
			 text);
		return -1;
	}
	*seconds = value;
	return 0;
}
