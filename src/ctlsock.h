/* ctlsock.h - the control socket (--control=PATH): a Unix stream socket
 * that runs one control verb per line and answers one line each, and the
 * `pooltop ctl` client that talks to it. */
#ifndef POOLTOP_CTLSOCK_H
#define POOLTOP_CTLSOCK_H

#include <stddef.h>

#include "control.h"
#include "loop.h"

struct ctlsock;

/* Clients served at once (the open-file limit may lower it), and how
 * long one may stay without sending a whole command. */
#define CTLSOCK_MAX_CLIENTS 64
#define CTLSOCK_IDLE_SECONDS 60.0

struct ctlsock_limits {
	int max_clients;         /* more connections are told so and closed */
	double idle_seconds;     /* a client this long without a command is closed */
};

/* Create the socket at path (mode 0600) and serve it from the loop.  An
 * existing path is refused unless it is a stale socket nobody listens on;
 * a listener that is there but busy is found out without waiting.  NULL
 * with a one-line reason in error. */
struct ctlsock *ctlsock_open(struct loop *loop, struct control *control, const char *path,
			     const struct ctlsock_limits *limits, char *error, size_t error_size);
/* Seconds between two status objects to a client that asked to `watch`
 * (the TUI's refresh interval; 1 until set). */
void ctlsock_set_refresh(struct ctlsock *sock, double seconds);
/* Close every connection and remove the socket file (only if it is still
 * the one this process created).  NULL is fine. */
void ctlsock_close(struct ctlsock *sock);
/* Remove the socket file alone: safe from an atexit handler. */
void ctlsock_unlink(struct ctlsock *sock);

/* pooltop ctl PATH WORD...: send the words as one line, print the reply.
 * Returns the exit status: 0 on "ok", 1 on "error", 255 when nothing
 * answers. */
int ctlsock_client(const char *path, char **words, int count);

/* The clients' idle time-out: CTLSOCK_IDLE_SECONDS, or the seconds that
 * POOLTOP_CONTROL_IDLE_SECONDS gives (the tests shorten it).  0, or -1
 * with a message in error. */
int ctlsock_idle_seconds_from_env(double *seconds, char *error, size_t size);

#endif
