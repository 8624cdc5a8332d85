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
#include <strings.h>
#include <unistd.h>

#include "autotune.h"
#include "hosts.h"
#include "items.h"
#include "items_group.h"
#include "throttle.h"

enum {
	OPT_RANGE = 256, OPT_SHELL, OPT_WORKER, OPT_INFLIGHT, OPT_MAX_ITEMS, OPT_MAX_LINE, OPT_DEMO,
	OPT_MIN_JOBS, OPT_MAX_JOBS, OPT_AUTOTUNE, OPT_SHRINK, OPT_RETRIES, OPT_TIMEOUT, OPT_GRACE,
	OPT_DELAY, OPT_HALT, OPT_JOBLOG, OPT_RESUME, OPT_RESUME_FAILED, OPT_BATCH, OPT_PROGRESS,
	OPT_REFRESH, OPT_HOLD, OPT_NO_COLOR, OPT_NO_CONFIG, OPT_CONTROL, OPT_JOBS_FILE, OPT_LOG,
	OPT_LOAD, OPT_MEMFREE, OPT_MEMSUSPEND, OPT_NICE,
	OPT_XARGS,
	OPT_LINK, OPT_TRIM, OPT_HEADER, OPT_SHUF, OPT_ARG_SEP, OPT_ARG_FILE_SEP,
	/* GNU parallel's policies */
	OPT_TERMSEQ, OPT_PROCESS_SLOT_VAR, OPT_RETRY_FAILED,
	OPT_TAG, OPT_TAGSTRING, OPT_LINE_BUFFER, OPT_GROUP, OPT_RESULTS, OPT_FILES, OPT_TMPDIR, OPT_DRY_RUN,
	OPT_SSH,
	OPT_PIPE, OPT_PIPE_PART, OPT_BLOCK, OPT_RECSTART, OPT_RECEND,
	OPT_SLF, OPT_WORKDIR, OPT_TRANSFERFILE, OPT_TRANSFER, OPT_RETURN, OPT_TRC, OPT_CLEANUP,
	OPT_BASEFILE,
};

static const struct option long_options[] = {
	{ "arg-file", required_argument, NULL, 'a' },
	{ "range", required_argument, NULL, OPT_RANGE },
	{ "null", no_argument, NULL, '0' },
	{ "max-args", required_argument, NULL, 'n' },
	{ "max-replace-args", required_argument, NULL, 'N' },
	{ "xargs", no_argument, NULL, OPT_XARGS },
	{ "max-lines", required_argument, NULL, 'L' },
	{ "max-chars", required_argument, NULL, 's' },
	{ "replace", optional_argument, NULL, 'I' },
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
	{ "tag", no_argument, NULL, OPT_TAG },
	{ "tagstring", required_argument, NULL, OPT_TAGSTRING },
	{ "line-buffer", no_argument, NULL, OPT_LINE_BUFFER },
	{ "lb", no_argument, NULL, OPT_LINE_BUFFER },
	{ "ungroup", no_argument, NULL, 'u' },
	{ "group", no_argument, NULL, OPT_GROUP },
	{ "results", required_argument, NULL, OPT_RESULTS },
	{ "res", required_argument, NULL, OPT_RESULTS },
	{ "files", no_argument, NULL, OPT_FILES },
	{ "output-as-files", no_argument, NULL, OPT_FILES },
	{ "tmpdir", required_argument, NULL, OPT_TMPDIR },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "verbose", no_argument, NULL, 't' },
	{ "sshlogin", required_argument, NULL, 'S' },
	{ "ssh", required_argument, NULL, OPT_SSH },
	{ "pipe", no_argument, NULL, OPT_PIPE },
	{ "spreadstdin", no_argument, NULL, OPT_PIPE },
	{ "pipepart", no_argument, NULL, OPT_PIPE_PART },
	{ "pipe-part", no_argument, NULL, OPT_PIPE_PART },
	{ "block", required_argument, NULL, OPT_BLOCK },
	{ "block-size", required_argument, NULL, OPT_BLOCK },
	{ "recstart", required_argument, NULL, OPT_RECSTART },
	{ "recend", required_argument, NULL, OPT_RECEND },
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
	/* input sources as GNU parallel has them */
	{ "link", no_argument, NULL, OPT_LINK },
	{ "xapply", no_argument, NULL, OPT_LINK },
	{ "colsep", required_argument, NULL, 'C' },
	{ "trim", required_argument, NULL, OPT_TRIM },
	{ "header", required_argument, NULL, OPT_HEADER },
	{ "shuf", no_argument, NULL, OPT_SHUF },
	{ "arg-sep", required_argument, NULL, OPT_ARG_SEP },
	{ "arg-file-sep", required_argument, NULL, OPT_ARG_FILE_SEP },
	/* GNU parallel's policies, and xargs' names for them */
	{ "max-procs", required_argument, NULL, 'j' },
	{ "termseq", required_argument, NULL, OPT_TERMSEQ },
	{ "term-seq", required_argument, NULL, OPT_TERMSEQ },
	{ "process-slot-var", required_argument, NULL, OPT_PROCESS_SLOT_VAR },
	{ "no-run-if-empty", no_argument, NULL, 'r' },
	{ "retry-failed", no_argument, NULL, OPT_RETRY_FAILED },
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

static void set_defaults(struct options *options)
{
	*options = (struct options){
		.mode = MODE_COMMAND,
		.delimiter = '\n',
		.refresh = 1.0,
		.arg_sep = ":::",
		.arg_file_sep = "::::",
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

/* One more input source, in parallel's order; 0 or -1 past SOURCES_MAX. */
static int add_source(struct options *options, struct source_spec spec)
{
	struct sources_config *sources = &options->sources;
	if (sources->count == SOURCES_MAX)
		return fail("more than %d input sources: combine them into fewer files", SOURCES_MAX);
	sources->specs[sources->count++] = spec;
	return 0;
}

enum separator_kind { NOT_A_SEPARATOR, WORDS_FOLLOW, FILES_FOLLOW };

/* Whether word is ::: or :::: (or --arg-sep's, --arg-file-sep's), with
 * *linked set for the + forms. */
static enum separator_kind separator_of(const struct options *options, const char *word, bool *linked)
{
	const char *separators[] = { options->arg_sep, options->arg_file_sep };
	for (int which = 0; which < 2; which++) {
		size_t length = strlen(separators[which]);
		if (strncmp(word, separators[which], length))
			continue;
		if (!word[length] || (word[length] == '+' && !word[length + 1])) {
			*linked = word[length] == '+';
			return which == 0 ? WORDS_FOLLOW : FILES_FOLLOW;
		}
	}
	return NOT_A_SEPARATOR;
}

/* The command ends at the first source separator, as in parallel: the
 * words after it, up to the next separator, are one ::: source, or one
 * :::: source per file.  A + form pairs its sources with the one before. */
static int split_sources(struct options *options, char **words, int count)
{
	bool linked;
	int index = 0;

	options->command = words;
	while (index < count && separator_of(options, words[index], &linked) == NOT_A_SEPARATOR)
		index++;
	options->command_argc = index;
	while (index < count) {
		enum separator_kind kind = separator_of(options, words[index], &linked);
		int start = ++index;
		while (index < count && separator_of(options, words[index], &(bool){ false }) == NOT_A_SEPARATOR)
			index++;
		if (kind == WORDS_FOLLOW) {
			if (add_source(options, (struct source_spec){ .type = SOURCE_WORDS, .linked = linked,
				       .words = words + start, .word_count = index - start }))
				return -1;
			continue;
		}
		for (int file = start; file < index; file++) {
			if (add_source(options, (struct source_spec){ .type = SOURCE_FILE, .linked = linked,
				       .path = words[file] }))
				return -1;
		}
	}
	return 0;
}

/* The options of how job output is passed on, as GNU parallel's. */
static int parse_output_option(struct options *options, int option, const char *arg)
{
	switch (option) {
	case OPT_TAG:
		options->tag = true;
		break;
	case OPT_TAGSTRING:
		options->tagstring = arg;
		break;
	case OPT_LINE_BUFFER:
		options->line_buffer = true;
		options->ungroup = false;
		break;
	case 'u':
		options->ungroup = true;
		options->line_buffer = false;
		break;
	case OPT_GROUP:
		options->ungroup = options->line_buffer = false;
		break;
	case OPT_RESULTS: {
		size_t len = strlen(arg);
		if (!len)
			return fail("invalid --results '': give a directory");
		const char *suffix = len >= 5 ? arg + len - 5 : "";
		if (len >= 4 && (!strcasecmp(arg + len - 4, ".csv") || !strcasecmp(arg + len - 4, ".tsv") ||
				 !strcasecmp(suffix, ".json")))
			return fail("--results to a CSV, TSV or JSON file ('%s') is not supported: "
				    "give a directory", arg);
		options->results = arg;
		break;
	}
	case OPT_FILES:
		options->files = true;
		break;
	case OPT_TMPDIR:
		if (!*arg)
			return fail("invalid --tmpdir '': give a directory");
		options->tmpdir = arg;
		break;
	case OPT_DRY_RUN:
		options->dry_run = true;
		break;
	case 't':
		options->print_commands = true;
		break;
	}
	return 0;
}

/* The option word being parsed, for messages about it. */
static const char *current_option = "";

static int parse_option(struct options *options, int option, const char *arg,
			enum options_result *done)
{
	long n;
	switch (option) {
	case 'a':
		if (!options->arg_file)
			options->arg_file = arg;
		return add_source(options, (struct source_spec){ .type = SOURCE_FILE, .path = arg });
	case OPT_RANGE: {
		const char *error;
		if (items_parse_range(arg, &options->range_first, &options->range_last,
				      &options->range_step, &error))
			return fail("invalid --range '%s': %s", arg, error);
		options->has_range = true;
		return add_source(options, (struct source_spec){
			.type = SOURCE_RANGE, .first = options->range_first, .last = options->range_last,
			.step = options->range_step });
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
	case 'm':
	case 'X':
	case OPT_XARGS:
		options->fill_line = true;
		options->context_replace = option == 'X';
		break;
	case 'L':
		if (parse_int(arg, 1, INT_MAX, &n))
			return fail("invalid -L '%s': give a number of lines, 1 or more", arg);
		options->max_lines = (int)n;
		break;
	case 's': {
		size_t system = items_group_system_limit();
		if (parse_int(arg, 1, LONG_MAX, &n))
			return fail("invalid --max-chars '%s': give a number of bytes", arg);
		if ((unsigned long)n > system)
			return fail("invalid --max-chars '%s': this system allows at most %zu", arg, system);
		options->max_chars = (size_t)n;
		break;
	}
	case 'I':
		if (arg && !*arg)
			return fail("invalid --replace '': give the string that stands for the item");
		options->replace = arg;
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
	case 'P':  /* xargs' name */
	case 'j':
		/* -j 0: as many as possible, that is --max-jobs (validate). */
		if (strcmp(arg, "0") && options_parse_jobs(arg, options_online_cpus(), &options->pool.jobs))
			return fail("invalid --jobs '%s': give a number from 0 (as many as possible) to %d, "
				    "+N, -N or N%%", arg, POOL_MAX_JOBS);
		options->jobs_as_many = !strcmp(arg, "0");
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
		/* As GNU parallel: a job runs at most N times; 0 means until it succeeds. */
		if (parse_int(arg, 0, 1000000, &n))
			return fail("invalid --retries '%s': give the most runs of a job, 1 or more "
				    "(0: no limit)", arg);
		options->pool.retries = n == 0 ? INT_MAX : (int)n - 1;
		break;
	case OPT_REFRESH:
		if (options_parse_seconds(arg, &options->refresh) || options->refresh < 0.05)
			return fail("invalid --refresh '%s': give seconds, such as 1 or 0.5 (at least 0.05)", arg);
		options->refresh_given = true;
		break;
	case OPT_TIMEOUT:
		if (options_parse_timeout(arg, &options->pool.timeout, &options->pool.timeout_percent))
			return fail("invalid --timeout '%s': give a duration such as 30, 1.5, 30s, 2m, 1h30m "
				    "or 1d, or N%% of the median run time", arg);
		break;
	case OPT_GRACE:
		if (options_parse_duration(arg, &options->pool.grace))
			return fail("invalid --grace '%s': give a duration such as 5, 0.5 or 2m", arg);
		break;
	case OPT_DELAY:
		if (options_parse_delay(arg, &options->pool.delay, &options->pool.delay_auto))
			return fail("invalid --delay '%s': give a duration such as 0.5, 10s or 1m, "
				    "optionally followed by auto", arg);
		break;
	case OPT_TERMSEQ:
		if (options_parse_termseq(arg, options->pool.term_seq, &options->pool.term_steps))
			return fail("invalid --termseq '%s': give SIGNAL,MS,SIGNAL,MS... such as "
				    "TERM,200,TERM,100,TERM,50,KILL,25 (at most %d steps)", arg, POOL_TERM_STEPS);
		break;
	case OPT_PROCESS_SLOT_VAR:
		if (!*arg || strchr(arg, '='))
			return fail("invalid --process-slot-var '%s': give a variable name", arg);
		options->pool.process_slot_var = arg;
		break;
	case 'r':
		options->pool.skip_blank = true;
		break;
	case OPT_RETRY_FAILED:
		options->retry_failed = true;
		break;
	case OPT_HALT:
		if (options_parse_halt(arg, &options->pool))
			return fail("invalid --halt '%s': give now or soon, then fail=, success= or done=, "
				    "then N or N%% (now,fail=1, soon,fail=20%%...), or never", arg);
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
	case OPT_LINK:
		options->sources.link = true;
		break;
	case 'C':
		options->sources.colsep = arg;
		break;
	case OPT_TRIM:
		options->sources.trim = arg;
		break;
	case OPT_HEADER:
		options->sources.header = arg;
		break;
	case OPT_SHUF:
		options->sources.shuffle = true;
		break;
	case OPT_ARG_SEP:
	case OPT_ARG_FILE_SEP:
		if (!*arg)
			return fail("invalid --%s '': give a word such as ::: or ,,",
				    option == OPT_ARG_SEP ? "arg-sep" : "arg-file-sep");
		*(option == OPT_ARG_SEP ? &options->arg_sep : &options->arg_file_sep) = arg;
		break;
	case OPT_TAG:
	case OPT_TAGSTRING:
	case OPT_LINE_BUFFER:
	case 'u':
	case OPT_GROUP:
	case OPT_RESULTS:
	case OPT_FILES:
	case OPT_TMPDIR:
	case OPT_DRY_RUN:
	case 't':
		return parse_output_option(options, option, arg);
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
	case OPT_PIPE:
	case OPT_PIPE_PART:
		options->pipe = true;
		options->pipe_part |= option == OPT_PIPE_PART;
		break;
	case OPT_BLOCK:
		if (pipe_parse_block_size(arg, &options->pipe_settings.block_size))
			return fail("invalid --block '%s': give a size such as 1M (1048576 bytes) or 64k", arg);
		break;
	case OPT_RECSTART:
		options->pipe_settings.recstart = arg;
		break;
	case OPT_RECEND:
		options->pipe_settings.recend = arg;
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
		if (!options_refusal(current_option, optopt, error_text, error_size))
			return -1;
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

/* --pipe and --pipepart: a command per block of the input. */
static int validate_pipe(struct options *options)
{
	if (!options->pipe)
		return 0;
	if (options->mode == MODE_WORKER)
		return fail("--pipe runs the command once per block: it does not combine with --worker");
	const struct sources_config *sources = &options->sources;
	if (sources->count > 1 || (sources->count == 1 && sources->specs[0].type != SOURCE_FILE))
		return fail("--pipe reads standard input or one -a FILE: give no --range, ::: or "
			    "second source");
	if (options->sshlogin_count)
		return fail("--pipe feeds local jobs: it does not combine with -S/--sshlogin yet");
	if (options->pipe_part && !options->arg_file)
		return fail("--pipepart needs the file to split: give -a FILE");
	if (options->pipe_part && options->max_args)
		return fail("--pipepart cuts by size: it does not combine with -N or -n");
	options->pipe_settings.records_per_block = options->max_args;
	return 0;
}

static int validate(struct options *options)
{
	if (validate_pipe(options))
		return -1;
	struct pool_config *pool = &options->pool;
	if (!strcmp(options->arg_sep, options->arg_file_sep))
		return fail("--arg-sep and --arg-file-sep are both '%s': they must differ", options->arg_sep);
	if (sources_check_config(&options->sources, error_text, error_size))
		return -1;
	if (options->mode == MODE_WORKER && (options->sources.count > 1 || options->sources.colsep ||
					     options->sources.header))
		return fail("--worker sends one item per line: give one input source, without "
			    "--colsep or --header");
	if (options->sshlogin_count && validate_sshlogins(options))
		return -1;
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
	if (options->jobs_as_many)
		pool->jobs = pool->max_jobs;
	if (options->retry_failed && (options->resume || options->resume_failed))
		return fail("give --retry-failed without --resume or --resume-failed");
	if (options->retry_failed)
		pool->skip_blank = false;  /* its items are at the Seqs of the log */
	if (options->retry_failed && !options->joblog)
		return fail("--retry-failed needs --joblog=FILE");
	if (options->retry_failed && options->mode != MODE_COMMAND)
		return fail("--retry-failed runs the commands of a joblog: it takes no --worker or --demo");
	if (options->results && options->files)
		return fail("give --results or --files, not both");
	if (options->dry_run && options->mode != MODE_COMMAND)
		return fail("--dry-run prints commands: it goes with neither --worker nor --demo");
	if (options->dry_run) {
		pool->kind = POOL_DRY_RUN;
		options->batch = true;  /* nothing runs: there is nothing to watch */
	}
	if ((options->resume || options->resume_failed) && !options->joblog)
		return fail("--resume needs --joblog=FILE");
	if (options->mode == MODE_DEMO) {
		if (!options->has_range) {
			options->has_range = true;
			options->range_first = 0;
			options->range_last = 9;
			options->range_step = 1;
			add_source(options, (struct source_spec){ .type = SOURCE_RANGE, .first = 0, .last = 9,
				   .step = 1 });
		}
		if (!options->jobs_given)
			pool->jobs = 3;
		pool->kind = POOL_WORKER;
		return 0;
	}
	if (options->max_lines) {
		/* -L N: N lines per job, with -X's context replace unless -m. */
		options->max_args = options->max_lines;
		options->context_replace |= !options->fill_line;
	}
	if (options->mode == MODE_WORKER && (options->max_args || options->fill_line || options->replace))
		return fail("--worker feeds one item per line: -n, -N, -m, -X, -L and -I are for commands");
	if (options->command_argc == 0 && !options->retry_failed)
		return fail(options->command ? "no command before the input sources (:::, ::::)" :
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
	while ((option = getopt_long(argc, argv, "+:a:0C:d:j:kn:N:mXL:s:I:hVP:rutS:", long_options, NULL)) != -1) {
		current_option = argv[optind - 1 < argc ? optind - 1 : argc - 1];
		if (parse_option(options, option, optarg, &done))
			return OPTIONS_ERROR;
		if (done != OPTIONS_RUN)
			return done;
	}
	if (optind < argc && split_sources(options, argv + optind, argc - optind))
		return OPTIONS_ERROR;
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
