/* options.c - command-line parsing and validation.  Every mistake is one
 * line naming the problem, for main.c to print; nothing is started after
 * one. */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autotune.h"
#include "hosts.h"
#include "items.h"
#include "throttle.h"

static const char help_text[] =
	"Usage: pooltop [OPTION]... [--] COMMAND [ARG]... [::: ITEM...]\n"
	"  or:  pooltop [OPTION]... --worker [--] COMMAND [ARG]...\n"
	"  or:  pooltop --demo [OPTION]...\n"
	"  or:  pooltop ctl SOCKET COMMAND...\n"
	"Run COMMAND once per item on a pool of worker processes and show the pool live.\n"
	"Items come from standard input, one per line, unless a source is given.\n"
	"\n"
	"Items:\n"
	"  -a, --arg-file=FILE       read items from FILE\n"
	"      --range=A..B[..STEP]  the integers A to B inclusive\n"
	"  -0, --null                items are separated by NUL, not newline\n"
	"  -d, --delimiter=CHAR      items are separated by CHAR\n"
	"\n"
	"Commands:\n"
	"      --shell               run COMMAND with sh -c, placeholders shell-quoted\n"
	"      --worker              start COMMAND once per slot; feed it one item per\n"
	"                            line and read one result line per item\n"
	"      --inflight=K          items queued to one worker at a time (default 1)\n"
	"      --max-items-per-worker=N  replace a worker after N items\n"
	"      --max-line=SIZE       longest result line a worker may write (16M)\n"
	"      --demo                run the built-in demonstration (10 items, 3 workers)\n"
	"\n"
	"The pool:\n"
	"  -j, --jobs=N              workers to start with: N, +N or -N (CPUs plus or\n"
	"                            minus N), or N% of CPUs (default: online CPUs)\n"
	"      --min-jobs=N          never fewer workers than N (default 1)\n"
	"      --max-jobs=N          never more workers than N (default 1024)\n"
	"      --autotune[=MIN..MAX] search for the worker count with the best throughput\n"
	"      --shrink=MODE         graceful (finish the item) or kill (requeue it)\n"
	"      --retries=N           run a failed item up to N more times\n"
	"      --timeout=SECS        kill an item's job after SECS seconds\n"
	"      --grace=SECS          seconds between TERM and KILL (default 5)\n"
	"      --delay=SECS          wait SECS seconds between job starts\n"
	"      --halt=WHEN,fail=N    stop after N failures (WHEN: now or soon);\n"
	"                            also WHEN,success=N, or never\n"
	"      --load=MAX            start no job while MAX threads (or MAX% of CPUs)\n"
	"                            are running\n"
	"      --memfree=SIZE        start no job while less than SIZE memory is\n"
	"                            available; below SIZE/2 kill the youngest job\n"
	"                            and run its item again later\n"
	"      --memsuspend=SIZE     suspend the youngest jobs while less than\n"
	"                            2*SIZE memory is available (SIZE: 512M, 2G...)\n"
	"      --nice=N              run jobs at niceness N\n"
	"\n"
	"Remote hosts:\n"
	"  -S, --sshlogin=[N/]LOGIN[,...]  run jobs on LOGIN ([user@]host, or\n"
	"                            'SSHCOMMAND [OPTIONS] host') with N slots (default:\n"
	"                            -j, else its CPU count); ':' is this machine\n"
	"      --ssh=CMD             the ssh command (default ssh)\n"
	"      --slf=FILE            logins from FILE, one per line, read again\n"
	"                            when it changes (hosts added or drained)\n"
	"      --workdir=DIR         run remote jobs in DIR ('...': a fresh dir,\n"
	"                            '.': the current dir relative to home)\n"
	"      --transferfile=FILE   send FILE to the host before the job (rsync)\n"
	"      --transfer            --transferfile {}\n"
	"      --return=FILE         fetch FILE from the host after the job\n"
	"      --trc=FILE            --transfer --return FILE --cleanup\n"
	"      --cleanup             remove transferred and returned files there\n"
	"      --basefile=FILE       send FILE to each host before its first job\n"
	"\n"
	"Output:\n"
	"  -k, --keep-order          write results in input order\n"
	"      --joblog=FILE         log each job to FILE (GNU parallel's format)\n"
	"      --resume              skip items the joblog shows as run\n"
	"      --resume-failed       skip items the joblog shows as succeeded\n"
	"\n"
	"Interface:\n"
	"      --batch               no terminal interface\n"
	"      --progress            in batch mode, a status line on stderr\n"
	"      --refresh=SECS        seconds between screen updates (default 1)\n"
	"      --hold                keep the final screen until q is pressed\n"
	"      --no-color            no colours (also when NO_COLOR is set)\n"
	"      --no-config           do not read or write the settings file, pooltoprc\n"
	"      --control=PATH        listen for control commands on a Unix socket\n"
	"      --jobs-file=FILE      follow the worker count written in FILE\n"
	"      --log=FILE            append a debug log of the run's decisions to FILE\n"
	"                            (also POOLTOP_LOG=FILE)\n"
	"  -h, --help                display this help and exit\n"
	"  -V, --version             output version information and exit\n"
	"\n"
	"Placeholders in COMMAND: {} item, {.} without extension, {/} basename,\n"
	"{//} dirname, {/.} basename without extension, {#} sequence number,\n"
	"{%} slot number.  With none, the item is appended as the last argument.\n"
	"\n"
	"Exit status: 0 if every item succeeded, 1-100 the number of failed items,\n"
	"101 if more failed, 255 on a usage or internal error, or when output or a\n"
	"joblog line was lost.\n"
	"\n"
	"Full documentation: man pooltop\n";

/* Where to report bugs, as AC_INIT's bug-report argument gives it: the
 * line is left out while the project names no address. */
static const char bug_report[] = PACKAGE_BUGREPORT;

/* As the GNU Coding Standards ask: name and version, then the copyright
 * and the licence (the one README.md names). */
static const char version_text[] =
	"pooltop " PACKAGE_VERSION "\n"
	"Copyright (C) 2026 the pooltop authors.\n"
	"License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
	"This is free software: you are free to change and redistribute it.\n"
	"There is NO WARRANTY, to the extent permitted by law.\n";

const char *options_help_text(void)
{
	static char text[sizeof help_text + sizeof bug_report + 32];
	if (!*text)
		snprintf(text, sizeof text, "%s%s%s%s", help_text, *bug_report ? "Report bugs to: " : "",
			 bug_report, *bug_report ? "\n" : "");
	return text;
}

const char *options_version_text(void)
{
	return version_text;
}

enum {
	OPT_RANGE = 256, OPT_SHELL, OPT_WORKER, OPT_INFLIGHT, OPT_MAX_ITEMS, OPT_MAX_LINE, OPT_DEMO,
	OPT_MIN_JOBS, OPT_MAX_JOBS, OPT_AUTOTUNE, OPT_SHRINK, OPT_RETRIES, OPT_TIMEOUT, OPT_GRACE,
	OPT_DELAY, OPT_HALT, OPT_JOBLOG, OPT_RESUME, OPT_RESUME_FAILED, OPT_BATCH, OPT_PROGRESS,
	OPT_REFRESH, OPT_HOLD, OPT_NO_COLOR, OPT_NO_CONFIG, OPT_CONTROL, OPT_JOBS_FILE, OPT_LOG,
	OPT_LOAD, OPT_MEMFREE, OPT_MEMSUSPEND, OPT_NICE,
	OPT_SSH,
	OPT_SLF, OPT_WORKDIR, OPT_TRANSFERFILE, OPT_TRANSFER, OPT_RETURN, OPT_TRC, OPT_CLEANUP,
	OPT_BASEFILE,
};

static const struct option long_options[] = {
	{ "arg-file", required_argument, NULL, 'a' },
	{ "range", required_argument, NULL, OPT_RANGE },
	{ "null", no_argument, NULL, '0' },
	{ "max-args", required_argument, NULL, 'n' },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "shell", no_argument, NULL, OPT_SHELL },
	{ "worker", no_argument, NULL, OPT_WORKER },
	{ "inflight", required_argument, NULL, OPT_INFLIGHT },
	{ "max-items-per-worker", required_argument, NULL, OPT_MAX_ITEMS },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "demo", no_argument, NULL, OPT_DEMO },
	{ "jobs", required_argument, NULL, 'j' },
	{ "min-jobs", required_argument, NULL, OPT_MIN_JOBS },
	{ "max-jobs", required_argument, NULL, OPT_MAX_JOBS },
	{ "autotune", optional_argument, NULL, OPT_AUTOTUNE },
	{ "shrink", required_argument, NULL, OPT_SHRINK },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "grace", required_argument, NULL, OPT_GRACE },
	{ "delay", required_argument, NULL, OPT_DELAY },
	{ "halt", required_argument, NULL, OPT_HALT },
	{ "load", required_argument, NULL, OPT_LOAD },
	{ "memfree", required_argument, NULL, OPT_MEMFREE },
	{ "memsuspend", required_argument, NULL, OPT_MEMSUSPEND },
	{ "nice", required_argument, NULL, OPT_NICE },
	{ "keep-order", no_argument, NULL, 'k' },
	{ "joblog", required_argument, NULL, OPT_JOBLOG },
	{ "resume", no_argument, NULL, OPT_RESUME },
	{ "resume-failed", no_argument, NULL, OPT_RESUME_FAILED },
	{ "batch", no_argument, NULL, OPT_BATCH },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "refresh", required_argument, NULL, OPT_REFRESH },
	{ "hold", no_argument, NULL, OPT_HOLD },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
	{ "control", required_argument, NULL, OPT_CONTROL },
	{ "jobs-file", required_argument, NULL, OPT_JOBS_FILE },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "sshlogin", required_argument, NULL, 'S' },
	{ "ssh", required_argument, NULL, OPT_SSH },
	{ "slf", required_argument, NULL, OPT_SLF },
	{ "sshloginfile", required_argument, NULL, OPT_SLF },
	{ "workdir", required_argument, NULL, OPT_WORKDIR },
	{ "wd", required_argument, NULL, OPT_WORKDIR },
	{ "transferfile", required_argument, NULL, OPT_TRANSFERFILE },
	{ "tf", required_argument, NULL, OPT_TRANSFERFILE },
	{ "transfer", no_argument, NULL, OPT_TRANSFER },
	{ "return", required_argument, NULL, OPT_RETURN },
	{ "trc", required_argument, NULL, OPT_TRC },
	{ "cleanup", no_argument, NULL, OPT_CLEANUP },
	{ "basefile", required_argument, NULL, OPT_BASEFILE },
	{ "bf", required_argument, NULL, OPT_BASEFILE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* Where options_parse() puts the message about a mistake. */
static char *error_text;
static size_t error_size;

static int fail(const char *format, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	vsnprintf(error_text, error_size, format, args);
	va_end(args);
	return -1;
}

int options_online_cpus(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus > 0 ? (int)cpus : 1;
}

/* A decimal integer in [min, max], the whole string. */
static int parse_int(const char *text, long min, long max, long *value)
{
	if (!text || !*text || isspace((unsigned char)*text))
		return -1;
	char *end;
	errno = 0;
	long n = strtol(text, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*value = n;
	return 0;
}

int options_parse_jobs(const char *text, int cpus, int *jobs)
{
	if (!text || !*text)
		return -1;
	size_t len = strlen(text);
	long n;
	if (text[len - 1] == '%') {
		char digits[32];
		if (len - 1 >= sizeof digits)
			return -1;
		memcpy(digits, text, len - 1);
		digits[len - 1] = '\0';
		if (parse_int(digits, 1, 100000, &n))
			return -1;
		long count = (cpus * n + 50) / 100;
		*jobs = count < 1 ? 1 : (int)(count > POOL_MAX_JOBS ? POOL_MAX_JOBS : count);
		return 0;
	}
	if (text[0] == '+' || text[0] == '-') {
		if (parse_int(text + 1, 0, POOL_MAX_JOBS, &n))
			return -1;
		long count = text[0] == '+' ? cpus + n : cpus - n;
		*jobs = count < 1 ? 1 : (int)(count > POOL_MAX_JOBS ? POOL_MAX_JOBS : count);
		return 0;
	}
	if (parse_int(text, 1, POOL_MAX_JOBS, &n))
		return -1;
	*jobs = (int)n;
	return 0;
}

int options_parse_seconds(const char *text, double *seconds)
{
	if (!text || !*text || isspace((unsigned char)*text))
		return -1;
	char *end;
	errno = 0;
	double value = strtod(text, &end);
	if (errno || *end || !isfinite(value) || value < 0 || value > 1e9)
		return -1;
	*seconds = value;
	return 0;
}

int options_parse_size(const char *text, size_t *size)
{
	if (!text || !*text || !isdigit((unsigned char)*text))
		return -1;
	char *end;
	errno = 0;
	unsigned long long value = strtoull(text, &end, 10);
	unsigned long long scale = 1;
	if (*end && !end[1]) {
		switch (toupper((unsigned char)*end)) {
		case 'K': scale = 1ULL << 10; break;
		case 'M': scale = 1ULL << 20; break;
		case 'G': scale = 1ULL << 30; break;
		default: return -1;
		}
		end++;
	}
	if (errno || *end || value == 0 || value > SIZE_MAX / scale)
		return -1;
	*size = (size_t)(value * scale);
	return 0;
}

int options_parse_halt(const char *text, struct pool_config *config)
{
	long n;
	if (!strcmp(text, "never")) {
		config->halt = HALT_NEVER;
		return 0;
	}
	/* GNU parallel's old numeric forms: 1 = soon,fail=1, 2 = now,fail=1. */
	if (!parse_int(text, 0, 2, &n)) {
		config->halt = n == 0 ? HALT_NEVER : n == 1 ? HALT_SOON : HALT_NOW;
		config->halt_fail = n ? 1 : 0;
		return 0;
	}
	const char *comma = strchr(text, ',');
	if (!comma)
		return -1;
	size_t when = (size_t)(comma - text);
	if (when == 3 && !strncmp(text, "now", 3))
		config->halt = HALT_NOW;
	else if (when == 4 && !strncmp(text, "soon", 4))
		config->halt = HALT_SOON;
	else
		return -1;
	const char *what = comma + 1;
	if (!strncmp(what, "fail=", 5) && !parse_int(what + 5, 1, INT_MAX, &n))
		config->halt_fail = (int)n;
	else if (!strncmp(what, "success=", 8) && !parse_int(what + 8, 1, INT_MAX, &n))
		config->halt_success = (int)n;
	else
		return -1;
	return 0;
}

static void set_defaults(struct options *options)
{
	*options = (struct options){
		.mode = MODE_COMMAND,
		.delimiter = '\n',
		.refresh = 1.0,
		.pool = {
			.kind = POOL_COMMAND,
			.jobs = options_online_cpus(),
			.min_jobs = 1,
			.max_jobs = POOL_MAX_JOBS,
			.shrink = SHRINK_GRACEFUL,
			.grace = 5.0,
			.inflight = 1,
			.max_line = 16 << 20,
		},
	};
}

/* Split COMMAND words at the first ::: into the command and inline items. */
static void split_inline_items(struct options *options, char **words, int count)
{
	options->command = words;
	options->command_argc = count;
	for (int i = 0; i < count; i++) {
		if (strcmp(words[i], ":::"))
			continue;
		options->command_argc = i;
		options->inline_items = words + i + 1;
		options->inline_count = count - i - 1;
		return;
	}
}

/* The option word being parsed, for messages about it. */
static const char *current_option = "";

static int parse_option(struct options *options, int option, const char *arg,
			enum options_result *done)
{
	long n;
	switch (option) {
	case 'a':
		options->arg_file = arg;
		break;
	case OPT_RANGE: {
		const char *error;
		if (items_parse_range(arg, &options->range_first, &options->range_last,
				      &options->range_step, &error))
			return fail("invalid --range '%s': %s", arg, error);
		options->has_range = true;
		break;
	}
	case '0':
		options->delimiter = '\0';
		break;
	case 'n':
	case 'N':
		if (parse_int(arg, 1, INT_MAX, &n))
			return fail("invalid -%c '%s': give a number of arguments, 1 or more", option, arg);
		options->max_args = (int)n;
		options->max_args_exact = option == 'N';
		break;
	case 'd':
		if (strlen(arg) == 1)
			options->delimiter = arg[0];
		else if (!strcmp(arg, "\\n"))
			options->delimiter = '\n';
		else if (!strcmp(arg, "\\t"))
			options->delimiter = '\t';
		else if (!strcmp(arg, "\\0"))
			options->delimiter = '\0';
		else
			return fail("invalid --delimiter '%s': give one character (or \\n, \\t, \\0)", arg);
		break;
	case OPT_SHELL:
		options->shell = true;
		break;
	case OPT_WORKER:
		options->mode = MODE_WORKER;
		options->pool.kind = POOL_WORKER;
		break;
	case OPT_INFLIGHT:
		if (parse_int(arg, 1, 65536, &n))
			return fail("invalid --inflight '%s': give a number from 1 to 65536", arg);
		options->pool.inflight = (int)n;
		break;
	case OPT_MAX_ITEMS:
		if (parse_int(arg, 1, INT_MAX, &n))
			return fail("invalid --max-items-per-worker '%s': give a positive number", arg);
		options->pool.max_items_per_worker = (int)n;
		break;
	case OPT_MAX_LINE:
		if (options_parse_size(arg, &options->pool.max_line))
			return fail("invalid --max-line '%s': give a size such as 65536, 64K or 16M", arg);
		break;
	case OPT_DEMO:
		options->mode = MODE_DEMO;
		break;
	case 'j':
		if (options_parse_jobs(arg, options_online_cpus(), &options->pool.jobs))
			return fail("invalid --jobs '%s': give a number from 1 to %d, +N, -N or N%%",
				    arg, POOL_MAX_JOBS);
		options->jobs_given = true;
		break;
	case OPT_MIN_JOBS:
	case OPT_MAX_JOBS:
		if (parse_int(arg, 1, POOL_MAX_JOBS, &n))
			return fail("invalid --%s '%s': give a number from 1 to %d",
				    option == OPT_MIN_JOBS ? "min-jobs" : "max-jobs", arg, POOL_MAX_JOBS);
		*(option == OPT_MIN_JOBS ? &options->pool.min_jobs : &options->pool.max_jobs) = (int)n;
		break;
	case OPT_AUTOTUNE:
		options->autotune = true;
		if (arg) {
			int64_t first, last, step;
			const char *error;
			if (items_parse_range(arg, &first, &last, &step, &error) || first < 1 ||
			    last > POOL_MAX_JOBS || first > last || step != 1)
				return fail("invalid --autotune '%s': give MIN..MAX with 1 <= MIN <= MAX <= %d",
					    arg, POOL_MAX_JOBS);
			options->autotune_min = (int)first;
			options->autotune_max = (int)last;
		}
		break;
	case OPT_SHRINK:
		if (!strcmp(arg, "graceful"))
			options->pool.shrink = SHRINK_GRACEFUL;
		else if (!strcmp(arg, "kill"))
			options->pool.shrink = SHRINK_KILL;
		else
			return fail("invalid --shrink '%s': give graceful or kill", arg);
		break;
	case OPT_RETRIES:
		if (parse_int(arg, 0, 1000000, &n))
			return fail("invalid --retries '%s': give a number of retries, 0 or more", arg);
		options->pool.retries = (int)n;
		break;
	case OPT_TIMEOUT:
	case OPT_GRACE:
	case OPT_DELAY:
	case OPT_REFRESH: {
		static const char *const names[] = { "timeout", "grace", "delay", "refresh" };
		double *targets[] = { &options->pool.timeout, &options->pool.grace, &options->pool.delay,
				      &options->refresh };
		int which = option == OPT_TIMEOUT ? 0 : option == OPT_GRACE ? 1 : option == OPT_DELAY ? 2 : 3;
		if (options_parse_seconds(arg, targets[which]) || (which == 3 && *targets[which] < 0.05))
			return fail("invalid --%s '%s': give seconds, such as 1 or 0.5%s", names[which], arg,
				    which == 3 ? " (at least 0.05)" : "");
		options->refresh_given |= which == 3;
		break;
	}
	case OPT_HALT:
		if (options_parse_halt(arg, &options->pool))
			return fail("invalid --halt '%s': give now,fail=N, soon,fail=N, now,success=N, "
				    "soon,success=N or never", arg);
		break;
	case OPT_LOAD:
		if (throttle_parse_load(arg, options_online_cpus(), &options->pool.throttle.load))
			return fail("invalid --load '%s': give a number of running threads, or N%% of CPUs", arg);
		break;
	case OPT_MEMFREE:
	case OPT_MEMSUSPEND: {
		bool memfree = option == OPT_MEMFREE;
		uint64_t *target = memfree ? &options->pool.throttle.memfree : &options->pool.throttle.memsuspend;
		if (throttle_parse_size(arg, target) || !*target)
			return fail("invalid --%s '%s': give a size such as 512M or 2G", memfree ? "memfree" : "memsuspend",
				    arg);
		break;
	}
	case OPT_NICE:
		if (parse_int(arg, -20, 19, &n))
			return fail("invalid --nice '%s': give a niceness from -20 to 19", arg);
		options->pool.nice = true;
		options->pool.niceness = (int)n;
		break;
	case 'k':
		options->keep_order = true;
		break;
	case OPT_JOBLOG:
		options->joblog = arg;
		break;
	case OPT_RESUME:
		options->resume = true;
		break;
	case OPT_RESUME_FAILED:
		options->resume_failed = true;
		break;
	case OPT_BATCH:
		options->batch = true;
		break;
	case OPT_PROGRESS:
		options->progress = true;
		break;
	case OPT_HOLD:
		options->hold = true;
		break;
	case OPT_NO_COLOR:
		options->no_color = true;
		break;
	case OPT_NO_CONFIG:
		options->no_config = true;
		break;
	case OPT_CONTROL:
		options->control_path = arg;
		break;
	case OPT_JOBS_FILE:
		options->jobs_file = arg;
		break;
	case OPT_LOG:
		if (!*arg)
			return fail("invalid --log '': give a file name");
		options->log_path = arg;
		break;
	case 'S':
		if (options->sshlogin_count == OPTIONS_MAX_SSHLOGINS)
			return fail("-S/--sshlogin given more than %d times: list several logins in one, "
				    "separated by commas", OPTIONS_MAX_SSHLOGINS);
		options->sshlogins[options->sshlogin_count++] = arg;
		break;
	case OPT_SSH:
		if (!*arg || strspn(arg, " \t") == strlen(arg))
			return fail("invalid --ssh '%s': give the ssh command", arg);
		options->ssh_command = arg;
		break;
	case OPT_SLF:
		options->sshlogin_file = arg;
		break;
	case OPT_WORKDIR:
		if (!*arg)
			return fail("invalid --workdir '': give a directory, '.' or '...'");
		options->workdir = arg;
		break;
	case OPT_TRANSFER:
	case OPT_TRANSFERFILE:
	case OPT_RETURN:
	case OPT_TRC:
	case OPT_BASEFILE: {
		/* --trc FILE is --transfer --return FILE --cleanup. */
		bool sends = option == OPT_TRANSFER || option == OPT_TRANSFERFILE || option == OPT_TRC;
		if (sends && options->transfer_count < OPTIONS_MAX_FILES)
			options->transfer_files[options->transfer_count++] =
				option == OPT_TRANSFERFILE ? arg : "{}";
		if ((option == OPT_RETURN || option == OPT_TRC) && options->return_count < OPTIONS_MAX_FILES)
			options->return_files[options->return_count++] = arg;
		if (option == OPT_BASEFILE && options->basefile_count < OPTIONS_MAX_FILES)
			options->basefiles[options->basefile_count++] = arg;
		if (option == OPT_TRC)
			options->cleanup = true;
		break;
	}
	case OPT_CLEANUP:
		options->cleanup = true;
		break;
	case 'h':
		*done = OPTIONS_HELP;
		break;
	case 'V':
		*done = OPTIONS_VERSION;
		break;
	case ':':
		return fail("option '%s' needs a value (try 'pooltop --help')", current_option);
	default:
		if (optopt && !strncmp(current_option, "--", 2) && strchr(current_option, '='))
			return fail("option '%.*s' takes no value (try 'pooltop --help')",
				    (int)(strchr(current_option, '=') - current_option), current_option);
		return fail("unknown option '%s' (try 'pooltop --help')", current_option);
	}
	return 0;
}

/* -S: every login must parse now, before anything starts. */
static int validate_sshlogins(const struct options *options)
{
	if (options->mode != MODE_COMMAND)
		return fail("-S/--sshlogin runs commands: it does not go with %s",
			    options->mode == MODE_WORKER ? "--worker" : "--demo");
	struct hosts *hosts = hosts_new(options->ssh_command);
	int status = 0;
	for (int i = 0; i < options->sshlogin_count && !status; i++)
		status = hosts_add_list(hosts, options->sshlogins[i], 0, error_text, error_size);
	hosts_free(hosts);
	return status;
}

static int validate(struct options *options)
{
	struct pool_config *pool = &options->pool;
	if (options->sshlogin_count && validate_sshlogins(options))
		return -1;
	int sources = !!options->arg_file + options->has_range + !!options->inline_items;
	if (sources > 1)
		return fail("give one item source: -a FILE, --range or ::: ITEM...");
	if (pool->min_jobs > pool->max_jobs)
		return fail("--min-jobs (%d) is above --max-jobs (%d)", pool->min_jobs, pool->max_jobs);
	if (options->autotune) {
		if (!options->autotune_min) {
			options->autotune_min = pool->min_jobs;
			options->autotune_max = pool->max_jobs;
			if (options->autotune_max > AUTOTUNE_DEFAULT_MAX)
				options->autotune_max = AUTOTUNE_DEFAULT_MAX;
		}
		if (options->autotune_min < pool->min_jobs)
			pool->min_jobs = options->autotune_min;
		if (options->autotune_max > pool->max_jobs)
			pool->max_jobs = options->autotune_max;
	}
	if (options->resume && options->resume_failed)
		return fail("give --resume or --resume-failed, not both");
	if ((options->resume || options->resume_failed) && !options->joblog)
		return fail("--resume needs --joblog=FILE");
	if (options->mode == MODE_DEMO) {
		if (!options->has_range) {
			options->has_range = true;
			options->range_first = 0;
			options->range_last = 9;
			options->range_step = 1;
		}
		if (!options->jobs_given)
			pool->jobs = 3;
		pool->kind = POOL_WORKER;
		return 0;
	}
	if (options->command_argc == 0)
		return fail(options->command ? "no command before :::" :
			    "no command given: try 'pooltop -- echo' or 'pooltop --demo'");
	return 0;
}

enum options_result options_parse(int argc, char **argv, struct options *options, char *error,
				  size_t size)
{
	error_text = error;
	error_size = size;
	set_defaults(options);
	if (argc >= 2 && !strcmp(argv[1], "ctl")) {
		if (argc < 4)
			return fail("usage: pooltop ctl SOCKET COMMAND...");
		options->mode = MODE_CTL;
		options->ctl_socket = argv[2];
		options->ctl_words = argv + 3;
		options->ctl_count = argc - 3;
		return OPTIONS_RUN;
	}
	enum options_result done = OPTIONS_RUN;
	int option;
	opterr = 0;  /* our own one-line messages instead of getopt's */
	optind = 1;
	while ((option = getopt_long(argc, argv, "+:a:0d:j:kn:N:hVS:", long_options, NULL)) != -1) {
		current_option = argv[optind - 1 < argc ? optind - 1 : argc - 1];
		if (parse_option(options, option, optarg, &done))
			return OPTIONS_ERROR;
		if (done != OPTIONS_RUN)
			return done;
	}
	if (optind < argc)
		split_inline_items(options, argv + optind, argc - optind);
	/* Keep the pool's bounds consistent with the initial count. */
	struct pool_config *pool = &options->pool;
	if (validate(options))
		return OPTIONS_ERROR;
	if (pool->jobs < pool->min_jobs)
		pool->jobs = pool->min_jobs;
	if (pool->jobs > pool->max_jobs)
		pool->jobs = pool->max_jobs;
	return OPTIONS_RUN;
}
