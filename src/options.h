/* options.h - the command line: getopt_long parsing, validation with one
 * clear message per mistake, and the --help and --version texts. */
#ifndef POOLTOP_OPTIONS_H
#define POOLTOP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipe_items.h"
#include "pool.h"
#include "sources.h"

/* -S may be given this many times (each may list many logins). */
#define OPTIONS_MAX_SSHLOGINS 64
/* Most --transferfile, --return or --basefile options, each. */
#define OPTIONS_MAX_FILES 64

enum run_mode { MODE_COMMAND, MODE_WORKER, MODE_DEMO, MODE_CTL };

struct options {
	enum run_mode mode;
	char **command;              /* COMMAND [ARG]... (not NULL-terminated: command_argc) */
	int command_argc;
	const char *arg_file;        /* the first -a FILE (every one is in sources) */
	bool has_range;              /* --range */
	int64_t range_first, range_last, range_step;
	char delimiter;              /* '\n', '\0' (-0) or -d CHAR */
	bool shell;                  /* --shell */
	int max_args;                /* -n N / -N N: arguments per job (--pipe -N: records
					per block); 0 when not given */
	bool max_args_exact;         /* -N: exactly max_args ({1}..{N} refer to them) */
	/* -m, -X, -I, -L, -s: how items fill a command line */
	bool fill_line;              /* -m, -X, --xargs: as many items per job as a line holds */
	bool context_replace;        /* -X (and -L without -m): the word holding {} is
					repeated for each item */
	const char *replace;         /* -I STR: STR stands for {}; NULL for {} */
	int max_lines;               /* -L N: N input lines per job, 0 when not given */
	size_t max_chars;            /* -s N: the longest command line; 0 for the default */

	/* GNU parallel's input sources: -a FILE and --range in the order given,
	 * then the groups after the command (::: WORD..., :::: FILE..., :::+,
	 * ::::+), with --link, --colsep, --trim, --header and --shuf; none
	 * given, standard input.  delimiter and max_length are main's. */
	struct sources_config sources;
	const char *arg_sep;         /* --arg-sep: ":::" unless given */
	const char *arg_file_sep;    /* --arg-file-sep: "::::" unless given */
	int item_arguments;          /* arguments in each item once the sources are
					open (one per source), -1 when it varies
					(columns); 0 means 1 */

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

	/* GNU parallel's policies (options_policies.c). */
	bool retry_failed;           /* --retry-failed: run the joblog's failed commands */
	bool jobs_as_many;           /* -j 0: as many workers as --max-jobs allows */
	/* How job output is passed on (GNU parallel's options). */
	bool tag;                    /* --tag: each line after the job's arguments and a TAB */
	const char *tagstring;       /* --tagstring=STR (placeholders allowed), or NULL */
	bool line_buffer;            /* --line-buffer, --lb: whole lines as they come */
	bool ungroup;                /* -u, --ungroup: bytes as they come */
	const char *results;         /* --results=DIR, or NULL */
	bool files;                  /* --files: stdout to temporary files, their names printed */
	const char *tmpdir;          /* --tmpdir=DIR for --files, or NULL */
	bool dry_run;                /* --dry-run: print the commands, run none */
	bool print_commands;         /* -t, --verbose: each command on stderr as it starts */
	/* -S/--sshlogin values (each a comma-separated list) and --ssh. */
	const char *sshlogins[OPTIONS_MAX_SSHLOGINS];
	int sshlogin_count;
	const char *ssh_command;     /* --ssh CMD, or NULL for ssh */
	/* --pipe / --pipepart: blocks of the input go to the jobs' stdin */
	bool pipe;                   /* --pipe (also set by --pipepart) */
	bool pipe_part;              /* --pipepart: -a FILE split by seeking */
	struct pipe_settings pipe_settings;  /* --block, --recstart, --recend, -N */

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
/* --halt: never, or now|soon,fail|success|done=N|N% (and parallel's old
 * 0, 1, 2, -1, -2 and N%).  0 or -1. */
int options_parse_halt(const char *text, struct pool_config *config);
int options_online_cpus(void);

/* GNU parallel's policy values (options_policies.c).  Each returns 0, or
 * -1 when the text is not one. */
/* A duration: seconds (1.5), or numbers each with a unit s, m, h or d
 * (30s, 2m, 1h30m, 1d3.5h16.6m4s). */
int options_parse_duration(const char *text, double *seconds);
/* --timeout: a duration, or N% of the median run time (*percent, else 0). */
int options_parse_timeout(const char *text, double *seconds, double *percent);
/* --delay: a duration, optionally followed by "auto" (*adjust). */
int options_parse_delay(const char *text, double *seconds, bool *adjust);
/* --termseq: SIGNAL,MS,SIGNAL,MS... (TERM,200,TERM,100,TERM,50,KILL,25). */
int options_parse_termseq(const char *text, struct pool_term_step *steps, int *count);
/* An option of GNU parallel that pooltop does not implement
 * (options_refused.c): word is the option as given (--sqlmaster=X, -q...),
 * short_option the letter getopt saw (0 for a long one).  Returns 0 and
 * a one-line refusal in error when it is one, else -1. */
int options_refusal(const char *word, int short_option, char *error, size_t size);
/* The n-th long name options_refusal refuses, or NULL past the last (tests). */
const char *options_refused_name(size_t n);

#endif
