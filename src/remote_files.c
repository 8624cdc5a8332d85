/* remote_files.c - --workdir, --transferfile, --return, --cleanup and
 * --basefile around remote jobs (see remote_files.h): the same commands
 * GNU parallel runs (rsync -rlDzR, the same destinations and cleanup),
 * over the host's control master, in a local sh around the job's ssh. */
#include "remote_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "slot.h"
#include "template.h"
#include "xalloc.h"

/* rsync 3.1 and later speak protocol 31, which older rsyncs on remote
 * hosts do not: GNU parallel asks for 30, and so do we. */
#define RSYNC "rsync --protocol 30 -rlDzR"
/* The remote wrapper's last words on stderr (remote.c's exit marker). */
#define EXIT_MARKER_FORMAT "\\036pooltop-exit %s\\n"
/* The work dirs of --workdir ..., under the remote login dir. */
#define FRESH_WORKDIR_PARENT ".parallel/tmp/"

/* One option's strings, each a template filled per item. */
struct file_list {
	struct template **templates;
	int count;
};

/* A host the basefiles went to (or are going to). */
struct basefile_host {
	char *login;
	char *marker;              /* local file made once the basefiles arrived */
	char **ssh_prefix;         /* for the cleanup at the end */
	size_t prefix_words;
	char *destination;
};

struct remote_files {
	struct file_list transfer, returns;
	const char *const *basefiles;  /* as given: no placeholders */
	int basefile_count;
	struct template *workdir;  /* --workdir other than . and ..., or NULL */
	const char *workdir_given; /* NULL when not given */
	bool cleanup;
	char *marker_dir;          /* local private dir of the basefile markers */
	struct basefile_host *hosts;
	size_t host_count, hosts_cap;
};

/* ---- text ----------------------------------------------------------------- */

struct text {
	char *data;
	size_t len, cap;
};

static void text_add(struct text *text, const char *s, size_t len)
{
	xgrow(&text->data, &text->cap, text->len + len + 1, 1);
	memcpy(text->data + text->len, s, len);
	text->len += len;
	text->data[text->len] = '\0';
}

static void text_put(struct text *text, const char *s)
{
	text_add(text, s, strlen(s));
}

/* s as one shell word in single quotes. */
static void text_quoted(struct text *text, const char *s)
{
	size_t len = strlen(s);
	xgrow(&text->data, &text->cap, text->len + 4 * len + 3, 1);
	text->len += template_shell_quote(text->data + text->len, s, len);
}

static char *quoted(const char *s)
{
	struct text text = { 0 };
	text_quoted(&text, s);
	return text.data;
}

/* ---- the option strings ------------------------------------------------- */

static struct template *word_template(const char *word)
{
	char *const argv[] = { (char *)word, NULL };
	return template_new(argv, 1, false);
}

static void file_list_init(struct file_list *list, const char *const *strings, int count)
{
	list->count = count;
	list->templates = xcalloc((size_t)count + 1, sizeof *list->templates);
	for (int i = 0; i < count; i++)
		list->templates[i] = word_template(strings[i]);
}

static void file_list_free(struct file_list *list)
{
	for (int i = 0; i < list->count; i++)
		template_free(list->templates[i]);
	free(list->templates);
}

/* A one-word template filled for the item: the word, malloc'd.  (A word
 * without a placeholder gets the item appended as a second word, which
 * is dropped.) */
static char *fill(const struct template *template, const char *item, size_t item_len, uint64_t seq, int slot)
{
	char **argv = template_argv(template, item, item_len, seq, slot);
	char *word = xstrdup(argv[0]);
	free(argv);
	return word;
}

struct remote_files *remote_files_new(const struct remote_files_config *config, bool *failed, char *error,
				      size_t size)
{
	*failed = false;
	if (!config->transfer_count && !config->return_count && !config->basefile_count && !config->workdir)
		return NULL;
	bool fresh = config->workdir && !strcmp(config->workdir, "...");
	for (int i = 0; i < config->basefile_count; i++) {
		if (fresh && config->basefiles[i][0] != '/') {
			snprintf(error, size, "work dir '...' will not work with relative basefiles");
			*failed = true;
			return NULL;
		}
	}
	struct remote_files *files = xcalloc(1, sizeof *files);
	file_list_init(&files->transfer, config->transfer, config->transfer_count);
	file_list_init(&files->returns, config->returns, config->return_count);
	files->basefiles = config->basefiles;
	files->basefile_count = config->basefile_count;
	files->workdir_given = config->workdir;
	if (config->workdir && strcmp(config->workdir, ".") && !fresh)
		files->workdir = word_template(config->workdir);
	files->cleanup = config->cleanup;
	return files;
}

void remote_files_free(struct remote_files *files)
{
	if (!files)
		return;
	file_list_free(&files->transfer);
	file_list_free(&files->returns);
	template_free(files->workdir);
	for (size_t i = 0; i < files->host_count; i++) {
		struct basefile_host *host = &files->hosts[i];
		unlink(host->marker);
		free(host->marker);
		free(host->login);
		for (size_t w = 0; w < host->prefix_words; w++)
			free(host->ssh_prefix[w]);
		free(host->ssh_prefix);
		free(host->destination);
	}
	free(files->hosts);
	if (files->marker_dir)
		rmdir(files->marker_dir);
	free(files->marker_dir);
	free(files);
}

/* ---- the work dir -------------------------------------------------------- */

/* --workdir .: the current dir, relative to the home dir when below it,
 * so that it is the same place on a host whose home dir differs. */
static char *current_workdir(void)
{
	char *cwd = getcwd(NULL, 0);
	if (!cwd)
		return xstrdup(".");
	const char *home = getenv("HOME");
	struct stat home_st, dir_st;
	if (home && stat(home, &home_st) == 0) {
		/* Walk down cwd; the prefix that is the home dir goes. */
		for (char *slash = cwd; slash; slash = strchr(slash + 1, '/')) {
			char saved = slash[1];
			slash[1] = '\0';
			bool is_home = stat(cwd, &dir_st) == 0 && dir_st.st_dev == home_st.st_dev &&
				       dir_st.st_ino == home_st.st_ino;
			slash[1] = saved;
			if (is_home) {
				const char *rest = slash + 1;
				char *relative = xstrdup(*rest ? rest : ".");
				free(cwd);
				return relative;
			}
		}
	}
	return cwd;
}

char *remote_files_workdir(struct remote_files *files, const char *item, size_t item_len, uint64_t seq,
			   int slot)
{
	const char *given = files->workdir_given;
	if (!given)
		return xstrdup(".");
	if (!strcmp(given, "."))
		return current_workdir();
	if (!strcmp(given, "...")) {
		char host[256] = "localhost";
		gethostname(host, sizeof host - 1);
		return xasprintf(FRESH_WORKDIR_PARENT "%s-%ld-%llu", host, (long)getpid(), (unsigned long long)seq);
	}
	char *dir = fill(files->workdir, item, item_len, seq, slot);
	/* rsync reads /./ its own way: it goes; so do a trailing / and a
	 * leading ./, as GNU parallel does. */
	char *dot;
	while ((dot = strstr(dir, "/./")))
		memmove(dot, dot + 2, strlen(dot + 2) + 1);
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
	while (!strncmp(dir, "./", 2) && dir[2])
		memmove(dir, dir + 2, strlen(dir + 2) + 1);
	return dir;
}

char **remote_files_job_argv(struct remote_files *files, char **argv, const char *item, size_t item_len,
			     uint64_t seq, int slot)
{
	if (!files || !files->workdir_given)
		return argv;
	char *dir = remote_files_workdir(files, item, item_len, seq, slot);
	static const char *const chdir_script =
		"mkdir -p -- \"$0\" 2>/dev/null; cd -- \"$0\" 2>/dev/null || "
		"{ echo \"pooltop: cannot chdir to $0\" >&2; exit 255; }; exec \"$@\"";
	const char *head[] = { "sh", "-c", chdir_script, dir };
	char **wrapped = proc_argv_join(head, 4, argv);
	free(dir);
	return wrapped;
}

/* ---- the commands around the job ---------------------------------------- */

/* The ssh command as rsync -e and the local shell take it. */
struct connection {
	const char *ssh;           /* the ssh words, joined for a shell (quoted where needed) */
	const char *destination;   /* [user@]host */
};

static const char *file_dirname(char *path)
{
	char *slash = strrchr(path, '/');
	if (!slash)
		return ".";
	if (slash == path)
		return "/";
	*slash = '\0';
	return path;
}

/* ssh DESTINATION -- REMOTE_COMMAND; as a line of the local script. */
static void put_remote(struct text *script, const struct connection *to, const char *remote_command)
{
	text_put(script, to->ssh);
	text_put(script, " ");
	text_quoted(script, to->destination);
	text_put(script, " -- ");
	text_quoted(script, remote_command);
}

static void put_rsync(struct text *script, const struct connection *to)
{
	text_put(script, RSYNC " -e ");
	text_quoted(script, to->ssh);
}

/* Send file into the work dir (GNU parallel's rsync_transfer_cmd): a
 * relative path, or one with /./, lands below the work dir; another
 * absolute one at the same place on the host. */
static void put_transfer(struct text *script, const struct connection *to, const char *file, const char *workdir)
{
	bool relative = file[0] != '/' || strstr(file, "/./");
	const char *destdir = relative ? workdir : "/";
	char *dest = quoted(destdir);
	char *mkdir_command = xasprintf("exec mkdir -p %s", dest);
	text_put(script, "if [ -r ");
	text_quoted(script, file);
	text_put(script, " ]; then ");
	put_remote(script, to, mkdir_command);
	text_put(script, " && ");
	put_rsync(script, to);
	text_put(script, " ");
	text_quoted(script, file);
	text_put(script, " ");
	char *target = xasprintf("%s:%s", to->destination, destdir);
	text_quoted(script, target);
	text_put(script, "; else echo ");
	char *warning = xasprintf("pooltop: warning: %s is not readable and will not be transferred", file);
	text_quoted(script, warning);
	text_put(script, " >&2; fi");
	free(warning);
	free(target);
	free(mkdir_command);
	free(dest);
}

/* Fetch file back (GNU parallel's sshreturn): from the work dir when
 * relative, put at the same relative place here; dir/./file comes from
 * file below the work dir into dir/file. */
static void put_return(struct text *script, const struct connection *to, const char *given, const char *workdir)
{
	const char *file = !strncmp(given, "./", 2) ? given + 2 : given;
	bool relative = file[0] != '/' || strstr(file, "/./");
	/* basedir: what comes before the last /./, kept here only. */
	const char *last_dot = NULL;
	for (const char *at = strstr(file, "/./"); at; at = strstr(at + 1, "/./"))
		last_dot = at;
	char *basedir = last_dot ? xasprintf("%.*s/", (int)(last_dot - file), file) : xstrdup("");
	const char *below = last_dot ? last_dot + 3 : file;
	char *dir = xstrdup(below);
	const char *cd = file_dirname(dir);
	const char *slash = strrchr(below, '/');
	const char *base = slash ? slash + 1 : below;

	struct text local_dir = { 0 };
	if (*basedir)
		text_quoted(&local_dir, basedir);
	text_quoted(&local_dir, cd);
	struct text remote_cd = { 0 };
	text_put(&remote_cd, "cd ");
	if (relative) {
		char *wd = xasprintf("%s/", workdir);
		text_quoted(&remote_cd, wd);
		free(wd);
	}
	text_quoted(&remote_cd, cd);
	text_put(&remote_cd, "; rsync");
	char *rsync_path = xasprintf("--rsync-path=%s", remote_cd.data);
	/* Quoted for the remote shell only when it needs it: rsync 3.2 and
	 * later hand remote names over as they are (as GNU parallel does). */
	char *const base_words[] = { (char *)base, NULL };
	char *base_quoted = template_join(base_words);
	char *source = xasprintf("%s:%s", to->destination, base_quoted);

	text_put(script, "mkdir -p ");
	text_put(script, local_dir.data);
	text_put(script, " && ");
	put_rsync(script, to);
	text_put(script, " ");
	text_quoted(script, rsync_path);
	text_put(script, " -- ");
	text_quoted(script, source);
	text_put(script, " ");
	text_put(script, local_dir.data);
	free(source);
	free(base_quoted);
	free(rsync_path);
	free(remote_cd.data);
	free(local_dir.data);
	free(dir);
	free(basedir);
}

/* Remove file from the host, and the dirs that held it when empty
 * (GNU parallel's cleanup_cmd); with --workdir ..., the work dir too. */
static void put_cleanup(struct text *script, const struct connection *to, const char *file, const char *workdir,
			bool fresh_workdir)
{
	char *path;
	const char *last_dot = NULL;
	for (const char *at = strstr(file, "/./"); at; at = strstr(at + 1, "/./"))
		last_dot = at;
	if (last_dot)
		path = xasprintf("%s/%s", workdir, last_dot + 3);
	else if (file[0] != '/')
		path = xasprintf("%s/%s", workdir, file);
	else
		path = xstrdup(file);
	struct text inner = { 0 };
	text_put(&inner, "rm -f ");
	text_quoted(&inner, path);
	text_put(&inner, " 2>/dev/null;");
	/* Each dir of the path, deepest first: rmdir leaves those not empty. */
	char *dirs = xstrdup(path);
	const char *dirname = file_dirname(dirs);
	if (strcmp(dirname, ".") && strcmp(dirname, "/")) {
		text_put(&inner, "rmdir");
		char *copy = xstrdup(dirname);
		for (char *end = copy + strlen(copy); end > copy;) {
			char *prefix = xasprintf("%.*s/", (int)(end - copy), copy);
			text_put(&inner, " ");
			text_quoted(&inner, prefix);
			free(prefix);
			while (end > copy && end[-1] != '/')
				end--;
			while (end > copy && end[-1] == '/')
				end--;
		}
		free(copy);
		text_put(&inner, " 2>/dev/null;");
	}
	if (fresh_workdir) {
		text_put(&inner, "rm -rf ");
		text_quoted(&inner, workdir);
		text_put(&inner, ";");
	}
	struct text remote = { 0 };
	text_put(&remote, "exec sh -c ");
	text_quoted(&remote, inner.data);
	put_remote(script, to, remote.data);
	free(remote.data);
	free(inner.data);
	free(dirs);
	free(path);
}

static struct basefile_host *basefile_host(struct remote_files *files, const char *login, char *const *ssh_prefix,
					   size_t prefix_words, const char *destination)
{
	for (size_t i = 0; i < files->host_count; i++)
		if (!strcmp(files->hosts[i].login, login))
			return &files->hosts[i];
	if (!files->marker_dir) {
		const char *tmp = getenv("TMPDIR");
		files->marker_dir = xasprintf("%s/pooltop-basefiles-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(files->marker_dir)) {
			free(files->marker_dir);
			files->marker_dir = NULL;
			return NULL;  /* then every job sends the basefiles: correct, slower */
		}
	}
	xgrow(&files->hosts, &files->hosts_cap, files->host_count + 1, sizeof *files->hosts);
	struct basefile_host *host = &files->hosts[files->host_count];
	*host = (struct basefile_host){
		.login = xstrdup(login),
		.marker = xasprintf("%s/%zu", files->marker_dir, files->host_count),
		.ssh_prefix = xcalloc(prefix_words + 1, sizeof *host->ssh_prefix),
		.prefix_words = prefix_words,
		.destination = xstrdup(destination),
	};
	for (size_t w = 0; w < prefix_words; w++)
		host->ssh_prefix[w] = xstrdup(ssh_prefix[w]);
	files->host_count++;
	return host;
}

static char *joined_ssh(char *const *ssh_prefix, size_t prefix_words)
{
	char **words = xcalloc(prefix_words + 1, sizeof *words);
	memcpy(words, ssh_prefix, prefix_words * sizeof *words);
	char *ssh = template_join(words);
	free(words);
	return ssh;
}

/* The work dir of the basefiles: that of --workdir without placeholders
 * filled, as GNU parallel takes it from a job of no item. */
static char *basefile_workdir(struct remote_files *files)
{
	return remote_files_workdir(files, "", 0, 0, 0);
}

/* The basefiles, sent once per host: the first jobs on a host send them
 * until one made the marker (rsync replaces a file whole, so two jobs
 * sending them at once do no harm). */
static void put_basefiles(struct remote_files *files, struct text *script, const struct connection *to,
			  const char *login, char *const *ssh_prefix, size_t prefix_words)
{
	struct basefile_host *host = basefile_host(files, login, ssh_prefix, prefix_words, to->destination);
	char *workdir = basefile_workdir(files);
	if (host) {
		text_put(script, "if [ ! -e ");
		text_quoted(script, host->marker);
		text_put(script, " ]; then ");
	}
	for (int i = 0; i < files->basefile_count; i++) {
		put_transfer(script, to, files->basefiles[i], workdir);
		text_put(script, i + 1 < files->basefile_count ? " && " : "");
	}
	if (host) {
		text_put(script, " && : > ");
		text_quoted(script, host->marker);
		text_put(script, "; fi");
	}
	text_put(script, "; ");
	free(workdir);
}

char **remote_files_local_argv(struct remote_files *files, char **ssh_argv, char *const *ssh_prefix,
			       size_t prefix_words, const char *destination, const char *login,
			       const char *item, size_t item_len, uint64_t seq, int slot)
{
	if (!files || (!files->transfer.count && !files->returns.count && !files->basefile_count &&
		       !(files->cleanup && files->workdir_given && !strcmp(files->workdir_given, "..."))))
		return ssh_argv;
	char *ssh = joined_ssh(ssh_prefix, prefix_words);
	struct connection to = { ssh, destination };
	char *workdir = remote_files_workdir(files, item, item_len, seq, slot);
	bool fresh = files->workdir_given && !strcmp(files->workdir_given, "...");
	struct text script = { 0 };
	if (files->basefile_count)
		put_basefiles(files, &script, &to, login, ssh_prefix, prefix_words);
	char **transfers = xcalloc((size_t)files->transfer.count + 1, sizeof *transfers);
	char **returns = xcalloc((size_t)files->returns.count + 1, sizeof *returns);
	for (int i = 0; i < files->transfer.count; i++) {
		transfers[i] = fill(files->transfer.templates[i], item, item_len, seq, slot);
		put_transfer(&script, &to, transfers[i], workdir);
		text_put(&script, "; ");
	}
	/* The job keeps the script's stdin (its end stops the remote job). */
	text_put(&script, "\"$@\"; _exit_status=$?; _after=$( { :; ");
	for (int i = 0; i < files->returns.count; i++) {
		returns[i] = fill(files->returns.templates[i], item, item_len, seq, slot);
		put_return(&script, &to, returns[i], workdir);
		text_put(&script, "; ");
	}
	if (files->cleanup) {
		for (int i = 0; i < files->transfer.count; i++) {
			put_cleanup(&script, &to, transfers[i], workdir, fresh);
			text_put(&script, "; ");
		}
		for (int i = 0; i < files->returns.count; i++) {
			put_cleanup(&script, &to, returns[i], workdir, fresh);
			text_put(&script, "; ");
		}
		if (fresh) {
			struct text command = { 0 };
			text_put(&command, "exec rm -rf ");
			text_quoted(&command, workdir);
			put_remote(&script, &to, command.data);
			text_put(&script, "; ");
			free(command.data);
		}
	}
	/* What went wrong after the job is told before its exit status
	 * again: the status must stay the last thing on stderr (remote.c). */
	text_put(&script, "} 2>&1 ); if [ -n \"$_after\" ]; then printf '%s\\n' \"$_after\" >&2; "
			  "printf '" EXIT_MARKER_FORMAT "' \"$_exit_status\" >&2; fi; exit $_exit_status");
	for (int i = 0; i < files->transfer.count; i++)
		free(transfers[i]);
	for (int i = 0; i < files->returns.count; i++)
		free(returns[i]);
	free(transfers);
	free(returns);
	free(workdir);
	free(ssh);

	const char *head[] = { "sh", "-c", script.data, "sh" };
	char **wrapped = proc_argv_join(head, 4, ssh_argv);
	free(script.data);
	free(ssh_argv);
	return wrapped;
}

/* ---- the end of the run ----------------------------------------------- */

/* Runs argv to its end, its input and output on /dev/null. */
static void run_quietly(char **argv)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		return;
	int exec_errno;
	pid_t pid = proc_spawn(argv, null, null, null, &exec_errno);
	close(null);
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
}

void remote_files_finish(struct remote_files *files)
{
	if (!files || !files->cleanup || !files->basefile_count)
		return;
	char *workdir = basefile_workdir(files);
	bool fresh = files->workdir_given && !strcmp(files->workdir_given, "...");
	for (size_t i = 0; i < files->host_count; i++) {
		struct basefile_host *host = &files->hosts[i];
		if (access(host->marker, F_OK))
			continue;  /* never arrived there */
		char *ssh = joined_ssh(host->ssh_prefix, host->prefix_words);
		struct connection to = { ssh, host->destination };
		struct text script = { 0 };
		for (int b = 0; b < files->basefile_count; b++) {
			put_cleanup(&script, &to, files->basefiles[b], workdir, fresh);
			text_put(&script, "; ");
		}
		char *argv[] = { (char *)"sh", (char *)"-c", script.data, NULL };
		run_quietly(argv);
		free(script.data);
		free(ssh);
	}
	free(workdir);
}
