/* options_refused.c - GNU parallel's options that pooltop does not
 * implement, each refused with one line saying what it is in parallel and,
 * where there is one, the pooltop way, instead of "unknown option". */
#include "options.h"

#include <stdio.h>
#include <string.h>

struct refused_option {
	const char *names;       /* long names and aliases, '|' between them */
	char letter;             /* parallel's short option, or 0 */
	const char *what;        /* what it does in GNU parallel */
	const char *instead;     /* the pooltop way, or NULL */
};

/* Only consulted for words getopt does not know: an option pooltop (or a
 * later version of it) implements is never refused from here. */
static const struct refused_option refused_options[] = {
	{ "sql-master|sqlmaster|sql", 0, "job queue in an SQL database", NULL },
	{ "sql-worker|sqlworker", 0, "worker of an SQL job queue", NULL },
	{ "sql-and-worker|sqlandworker", 0, "SQL job queue and worker", NULL },
	{ "semaphore|sem", 0, "counting semaphore", "run the commands as items of one pooltop -j N" },
	{ "semaphore-name|semaphorename|id", 0, "semaphore name", NULL },
	{ "semaphore-timeout|semaphoretimeout|st", 0, "semaphore timeout", NULL },
	{ "fg", 0, "semaphore in the foreground", NULL },
	{ "bg", 0, "semaphore in the background", NULL },
	{ "env", 0, "environment copied to remote hosts", "jobs inherit pooltop's environment" },
	{ "record-env|recordenv", 0, "recorded environment for --env", NULL },
	{ "session", 0, "environment recorded for --env _", NULL },
	{ "plus", 0, "extra replacement strings", NULL },
	{ "csv", 0, "CSV columns", "--colsep ," },
	{ "fifo", 0, "--pipe data through a named pipe", NULL },
	{ "cat", 0, "--pipe data through a temporary file", NULL },
	{ "compress", 0, "compressed temporary files", NULL },
	{ "compress-program|use-compress-program|compressprogram|usecompressprogram", 0,
	  "compression program for temporary files", NULL },
	{ "decompress-program|use-decompress-program|decompressprogram|usedecompressprogram", 0,
	  "decompression program for temporary files", NULL },
	{ "tmux", 0, "output in tmux windows", "the live view is pooltop's own" },
	{ "tmux-pane|tmuxpane", 0, "output in tmux panes", "the live view is pooltop's own" },
	{ "onall", 0, "every command on every host", NULL },
	{ "nonall", 0, "one command on every host", NULL },
	{ "ssh-delay|sshdelay", 0, "delay between ssh starts", "--delay" },
	{ "controlmaster", 'M', "ssh ControlMaster", NULL },
	{ "filter-hosts|filterhosts|filter-host", 0, "removal of hosts that are down", NULL },
	{ "hostgroups|hostgroup|hostgrp|hgrp", 0, "host groups", NULL },
	{ "rsync-opts|rsyncopts", 0, "rsync options for transfers", NULL },
	{ "bar", 0, "progress bar", "--progress, or the live view" },
	{ "eta", 0, "estimated time left", "--progress, or the live view" },
	{ "total-jobs|totaljobs|total", 0, "number of jobs for --eta", NULL },
	{ "shebang|hashbang", 0, "parallel as a #! interpreter", NULL },
	{ "embed", 0, "parallel embedded in a shell script", NULL },
	{ "bug", 0, "bug report helper", NULL },
	{ "citation", 0, "citation notice", NULL },
	{ "will-cite|willcite|nonotice|no-notice|nn", 0, "citation notice switch",
	  "pooltop prints no such notice: leave it out" },
	{ "tollef", 0, "Tollef's parallel compatibility", NULL },
	{ "gnu", 0, "GNU behaviour over --tollef", "leave it out" },
	{ "shell-completion|shellcompletion", 0, "shell completion script",
	  "the completion/ directory of pooltop's sources" },
	{ "show-limits|showlimits", 0, "command line length limits", NULL },
	{ "max-line-length-allowed|maxlinelengthallowed", 0, "longest command line", NULL },
	{ "number-of-cpus|numberofcpus", 0, "CPU count", "nproc" },
	{ "number-of-cores|numberofcores", 0, "CPU core count", "nproc" },
	{ "number-of-sockets|numberofsockets", 0, "CPU socket count", NULL },
	{ "number-of-threads|numberofthreads", 0, "CPU thread count", "nproc" },
	{ "use-cores-instead-of-threads|usecoresinsteadofthreads", 0, "-j of cores", "-j N" },
	{ "use-sockets-instead-of-threads|usesocketsinsteadofthreads", 0, "-j of sockets", "-j N" },
	{ "use-cpus-instead-of-cores|usecpusinsteadofcores", 0, "-j of CPUs", "-j N" },
	{ "min-version|minversion", 0, "minimum version check", "pooltop --version" },
	{ "profile", 'J', "profile of options", NULL },
	{ "limit", 0, "job start limited by a command", "--load or --memfree" },
	{ "noswap", 0, "no job start while swapping", "--memfree" },
	{ "tempdir", 0, "directory for temporary files", "--tmpdir=DIR" },
	{ "template|tmpl", 0, "files made from templates", NULL },
	{ "tee", 0, "--pipe input to every command", NULL },
	{ "shard", 0, "--pipe records by column hash", NULL },
	{ "bin", 0, "--pipe records by column value", NULL },
	{ "group-by|groupby", 0, "--pipe records grouped by column", NULL },
	{ "round-robin|roundrobin|round", 0, "--pipe blocks dealt round robin", NULL },
	{ "skip-first-line|skipfirstline", 0, "first input line skipped", NULL },
	{ "remove-rec-sep|removerecsep|rrs", 0, "record separators removed", NULL },
	{ "regexp|regex", 0, "--recstart and --recend as regular expressions", NULL },
	{ "block-timeout|blocktimeout|bt", 0, "--pipe block timeout", NULL },
	{ "latest-line|latestline|ll", 0, "latest output line of each job", "the live view" },
	{ "ctag", 0, "coloured --tag", "--tag" },
	{ "ctag-string|ctagstring", 0, "coloured --tagstring", "--tagstring" },
	{ "color|colour", 0, "coloured output", NULL },
	{ "color-failed|colour-failed|colorfailed|colourfailed|color-fail|colour-fail|colorfail|"
	  "colourfail|cf", 0, "failed jobs in colour", "the live view" },
	{ NULL, 'g', "grouped output", "--group" },
	{ "no-keep-order|nokeeporder|nok|no-k", 0, "output as jobs end", "leave out -k" },
	{ "plain", 0, "no --profile", "leave it out" },
	{ "silent", 0, "no printing of the job", "leave it out" },
	{ "ctrl-c|ctrlc", 0, "Ctrl-C sent to jobs", NULL },
	{ "no-ctrl-c|no-ctrlc|noctrlc", 0, "Ctrl-C not sent to jobs", NULL },
	{ "tty", 0, "jobs on the terminal", NULL },
	{ "open-tty", 'o', "terminal as the jobs' stdin", NULL },
	{ "interactive", 'p', "confirmation before each job", NULL },
	{ "quote", 'q', "command quoted", "run the command without a shell" },
	{ "shell-quote|shellquote|shell_quote", 0, "quoting of the input", NULL },
	{ "parens", 0, "--plus parentheses", NULL },
	{ "rpl", 0, "replacement strings of your own", NULL },
	{ "extensionreplace|er", 0, "replacement string for {.}", "{.}" },
	{ "basenamereplace|bnr", 0, "replacement string for {/}", "{/}" },
	{ "dirnamereplace|dnr", 0, "replacement string for {//}", "{//}" },
	{ "basenameextensionreplace|bner", 0, "replacement string for {/.}", "{/.}" },
	{ "seqreplace", 0, "replacement string for {#}", "{#}" },
	{ "slotreplace", 0, "replacement string for {%}", "{%}" },
	{ "maxchars", 0, "command line length", "-s" },
	{ "eof", 'E', "end-of-file string", NULL },
	{ "exit", 'x', "exit when a command line is too long", NULL },
	{ "maxlines", 'l', "lines per command line", "-L" },
	{ NULL, 'i', "replacement string {}", "-I {}" },
	{ "wait", 0, "wait for --semaphore jobs", NULL },
	{ "filter", 0, "jobs filtered by a Perl expression", NULL },
	{ "debug", 'D', "debug output", "--log=FILE" },
	{ NULL, 'e', "end-of-file string", NULL },
	{ NULL, 'v', "verbose", "-t" },
	{ NULL, 'Y', "retired option", NULL },
	{ NULL, 'T', "retired option", NULL },
};

/* Does name (up to len) appear in the '|' list names? */
static bool names_include(const char *names, const char *name, size_t len)
{
	while (names && *names) {
		const char *bar = strchrnul(names, '|');
		if ((size_t)(bar - names) == len && !strncmp(names, name, len))
			return true;
		names = *bar ? bar + 1 : bar;
	}
	return false;
}

static int refuse(const struct refused_option *option, const char *shown, char *error, size_t size)
{
	snprintf(error, size, "%s (GNU parallel's %s) is not supported%s%s", shown, option->what,
		 option->instead ? ": " : "", option->instead ? option->instead : "");
	return 0;
}

int options_refusal(const char *word, int short_option, char *error, size_t size)
{
	size_t count = sizeof refused_options / sizeof refused_options[0];
	if (word && !strncmp(word, "--", 2) && word[2]) {
		const char *name = word + 2;
		size_t len = strcspn(name, "=");
		for (size_t i = 0; i < count; i++)
			if (names_include(refused_options[i].names, name, len)) {
				char shown[64];
				snprintf(shown, sizeof shown, "--%.*s", (int)(len < 40 ? len : 40), name);
				return refuse(&refused_options[i], shown, error, size);
			}
		return -1;
	}
	if (short_option > 0 && short_option < 128) {
		for (size_t i = 0; i < count; i++)
			if (refused_options[i].letter == short_option) {
				char shown[4] = { '-', (char)short_option, '\0', '\0' };
				return refuse(&refused_options[i], shown, error, size);
			}
	}
	return -1;
}

const char *options_refused_name(size_t n)
{
	size_t count = sizeof refused_options / sizeof refused_options[0];
	for (size_t i = 0; i < count; i++) {
		const char *names = refused_options[i].names;
		while (names && *names) {
			const char *bar = strchrnul(names, '|');
			if (n-- == 0) {
				static char name[64];
				snprintf(name, sizeof name, "%.*s", (int)(bar - names), names);
				return name;
			}
			names = *bar ? bar + 1 : bar;
		}
	}
	return NULL;
}
