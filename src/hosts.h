/* hosts.h - the machines a pool runs on: GNU parallel's -S/--sshlogin
 * list parsed into a host table, the ssh command line for each host, and
 * one OpenSSH control master per host, started from the loop, watched,
 * retried with back-off when it drops, and closed at exit. */
#ifndef POOLTOP_HOSTS_H
#define POOLTOP_HOSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "loop.h"

/* The most slots a remote host takes by its CPU count: sshd's default
 * MaxSessions, 10, less the master's own session.  N/ or -j go beyond. */
#define HOSTS_SESSIONS_PER_CONNECTION 9

/* The login that means this machine, with no ssh. */
#define HOSTS_LOCAL ":"

enum host_state {
	HOST_DOWN,        /* not connected: never tried yet, lost, or unreachable */
	HOST_CONNECTING,  /* the control master is starting */
	HOST_UP,          /* jobs may run (always, for the local host) */
};

struct host {
	struct hosts *table;     /* back-pointer for the loop's handlers */
	int index;               /* position in the table */
	char *login;             /* as given, without N/: the joblog's Host column */
	bool local;              /* ":" */
	char **ssh_words;        /* the ssh command and its options (NULL-terminated) */
	char *destination;       /* [user@]host, the last word of the login */
	int slots_given;         /* N of N/LOGIN, 0 when not given */
	int session_limit;       /* the most channels the server allowed, 0: not met */
	int cpus;                /* CPUs the host reported, 0 until known */
	int slots_used;          /* slots of the pool assigned to the host */
	enum host_state state;
	char *reason;            /* why the host is down (ssh's message), or NULL */
	bool ever_up;            /* it was up once: a later loss is a drop, not unreachable */
	bool draining;           /* host drain: no new items there; running ones finish */
	bool removed;            /* host remove: drained, its items killed and requeued,
				    its master closed once no slot is on it */
	int slots_set;           /* slots set while the run goes on (host add N/LOGIN,
				    autotune), 0 when none: wins over N/ and the CPUs */
	uint64_t done;           /* attempts that ended there */

	/* The control master (hosts.c). */
	char *control_path;
	pid_t master_pid;        /* 0 when none */
	int master_in;           /* its stdin: closing it ends the master's session */
	int master_out, master_err;
	char out_line[128];      /* the master's greeting as it arrives */
	size_t out_len;
	char err_text[512];      /* the last of the master's stderr: the reason of a failure */
	size_t err_len;
	double retry_delay;      /* seconds before the next attempt */
	uint64_t retry_timer;
};

struct hosts;

/* What the table tells its user (remote.c): a host came up (its CPU count
 * is known then) or went down (host->reason says why). */
struct hosts_events {
	void (*up)(void *data, struct host *host);
	void (*down)(void *data, struct host *host);
	void *data;
};

/* An empty table; ssh_command is --ssh (NULL: "ssh"), split at spaces. */
struct hosts *hosts_new(const char *ssh_command);
void hosts_free(struct hosts *hosts);

/* Add the logins of one -S value: [N/]LOGIN[,[N/]LOGIN...], where LOGIN is
 * ":", [user@]host, or "SSHCOMMAND [OPTIONS] [user@]host" (a comma inside
 * one is written ",," or "\,").  default_slots (0: its CPU count) is the
 * slot count of a host without N/.  A login given twice is kept once.
 * Returns 0, or -1 with a one-line message in error. */
int hosts_add_list(struct hosts *hosts, const char *list, int default_slots, char *error, size_t size);

int hosts_count(const struct hosts *hosts);
struct host *hosts_at(const struct hosts *hosts, int index);
/* The slots the host takes: N/, else the default, else its CPU count (at
 * most HOSTS_SESSIONS_PER_CONNECTION for a remote host); 0 while a
 * remote host's CPU count is not known. */
int host_slot_limit(const struct hosts *hosts, const struct host *host);
/* Every host is down (none up or connecting). */
bool hosts_all_down(const struct hosts *hosts);

/* The argv (NULL-terminated, one malloc'd block: free() it) running
 * remote_command on the host through its control master.  master: the
 * argv that starts the master instead. */
char **hosts_ssh_argv(const struct hosts *hosts, const struct host *host, bool master,
		      const char *remote_command);

/* Start every remote host's control master from the loop (local hosts
 * are up at once, their up event included).  -1 with a message in error
 * when the private directory of the control sockets cannot be made. */
int hosts_start(struct hosts *hosts, struct loop *loop, const struct hosts_events *events,
		char *error, size_t size);
/* Connect one host of the table (hosts_start does it for each; a host
 * added later, once started, needs it): a local host is up at once. */
void hosts_connect(struct hosts *hosts, struct host *host);
/* The host's connection failed while in use (a job could not reach it):
 * take it down as a drop of the master would, and retry later. */
void hosts_lost(struct hosts *hosts, struct host *host, const char *reason);
/* The default_slots of the last hosts_add_list (hosts added later keep it). */
int hosts_default_slots(const struct hosts *hosts);
/* The host of login (as given, without N/), or NULL. */
struct host *hosts_find(const struct hosts *hosts, const char *login);

/* Close the host's master for good (host remove): no retry, no down
 * event; hosts_connect opens it again. */
void hosts_disconnect(struct hosts *hosts, struct host *host);

/* Close every master (their remote sessions end, and with them what
 * runs there) and remove the private directory. */
void hosts_close(struct hosts *hosts);

/* Fire and forget: run remote_command on the host through its master
 * (a signal to a remote process group).  0, or -1 when the host is down. */
int hosts_run_detached(struct hosts *hosts, const struct host *host, const char *remote_command);

#endif
