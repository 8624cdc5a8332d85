/* options.h - the command line: getopt_long parsing, validation with one
 * clear message per mistake, and the --help and --version texts. */
#ifndef POOLTOP_OPTIONS_H
#define POOLTOP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pool.h"

/* -S may be given this many times (each may list many logins). */
#define OPTIONS_MAX_SSHLOGINS 64
/* Most --transferfile, --return or --basefile options, each. */
#define OPTIONS_MAX_FILES 64

enum run_mode { MODE_COMMAND, MODE_WORKER, MODE_DEMO, MODE_CTL };

struct options {
	enum run_mode mode;
	char **command;              /* COMMAND [ARG]... (not NULL-terminated: command_argc) */
	int command_argc;
	char **inline_items;         /* items after :::, or NULL */
	int inline_count;
	const char *arg_file;        /* -a FILE */
	bool has_range;              /* --range */
	int64_t range_first, range_last, range_step;
	char delimiter;              /* '\n', '\0' (-0) or -d CHAR */
	bool shell;                  /* --shell */
	int max_args;                /* -n N / -N N: arguments per job (--pipe -N: records
					per block); 0 when not given */
	bool max_args_exact;         /* -N: exactly max_args ({1}..{N} refer to them) */

	struct pool_config pool;     /* jobs, bounds, retries, timeouts, worker settings */
	bool jobs_given;             /* -j was given (the demo's default is 3) */
	bool autotune;               /* --autotune */
	int autotune_min, autotune_max;

	bool keep_order;             /* -k */
	const char *joblog;          /* --joblog=FILE */
	bool resume, resume_failed;
	bool batch, progress, hold, no_color;
	bool no_config;              /* --no-config: the settings file is not read or written */
	double refresh;              /* seconds between TUI / --progress refreshes */
	bool refresh_given;          /* --refresh was given (it wins over the settings file) */
	const char *control_path;    /* --control=PATH */
	const char *jobs_file;       /* --jobs-file=FILE */
	const char *log_path;        /* --log=FILE, or NULL (POOLTOP_LOG is main's) */

	/* -S/--sshlogin values (each a comma-separated list) and --ssh. */
	const char *sshlogins[OPTIONS_MAX_SSHLOGINS];
	int sshlogin_count;
	const char *ssh_command;     /* --ssh CMD, or NULL for ssh */

	/* Files around remote jobs (remote_files.h) and the login file. */
	const char *transfer_files[OPTIONS_MAX_FILES];  /* --transferfile (--transfer: {}) */
	int transfer_count;
	const char *return_files[OPTIONS_MAX_FILES]; /* --return */
	int return_count;
	const char *basefiles[OPTIONS_MAX_FILES]; /* --basefile */
	int basefile_count;
	const char *workdir;         /* --workdir DIR, or NULL */
	bool cleanup;                /* --cleanup */
	const char *sshlogin_file;   /* --slf FILE, or NULL */

	const char *ctl_socket;      /* pooltop ctl SOCKET WORD... */
	char **ctl_words;
	int ctl_count;
};

enum options_result {
	OPTIONS_ERROR = -1,  /* a mistake, described in error: exit 255 */
	OPTIONS_RUN,         /* run with these options */
	OPTIONS_HELP,        /* --help: print options_help_text(), exit 0 */
	OPTIONS_VERSION,     /* --version: print options_version_text(), exit 0 */
};

/* Parse argv into options; nothing is printed.  On OPTIONS_ERROR, error
 * holds one line (without "pooltop: " and the newline) for the user. */
enum options_result options_parse(int argc, char **argv, struct options *options, char *error,
				  size_t size);
/* The --help text, ending with where to report bugs when the project has
 * such a place (AC_INIT's bug-report argument). */
const char *options_help_text(void);
/* The --version text: name and version, copyright and licence. */
const char *options_version_text(void);

/* Parsers shared with the control verbs, exposed for tests. */
/* -j values: N, +N / -N (CPUs plus or minus N), N% (of CPUs).  0 or -1. */
int options_parse_jobs(const char *text, int cpus, int *jobs);
/* Seconds as a non-negative decimal number.  0 or -1. */
int options_parse_seconds(const char *text, double *seconds);
/* A byte size with an optional K, M or G suffix.  0 or -1. */
int options_parse_size(const char *text, size_t *size);
/* --halt: never | now,fail=N | soon,fail=N | now,success=N | soon,success=N. */
int options_parse_halt(const char *text, struct pool_config *config);
int options_online_cpus(void);

#endif
