/* proc.c - process plumbing for the slot kinds that run local processes:
 * spawning in a process group of its own, the pipes to and from it, what
 * a failed exec means, the /proc probe, and reading a slot's output. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guardian.h"
#include "loop.h"
#include "rlimits.h"
#include "slot.h"
#include "xalloc.h"

/* A path is searched for once per command name, as a shell hashes it, so
 * that an item costs one execve, not one per $PATH entry. */
struct command_cache {
	char *name;              /* argv[0] as given */
	char *path;              /* where it was found, or NULL */
};

static struct command_cache command_cache;

/* Where execvp would find name: the first executable regular file along
 * $PATH (or confstr's default path), or NULL. */
static char *find_in_path(const char *name)
{
	if (!*name)
		return NULL;
	if (strchr(name, '/'))
		return xstrdup(name);
	const char *search = getenv("PATH");
	char default_path[256];
	if (!search) {
		size_t len = confstr(_CS_PATH, default_path, sizeof default_path);
		search = len > 0 && len <= sizeof default_path ? default_path : "/bin:/usr/bin";
	}
	for (const char *dir = search;; dir++) {
		const char *end = strchrnul(dir, ':');
		size_t dir_len = (size_t)(end - dir);
		char *path = xasprintf("%.*s%s%s", (int)dir_len, dir, dir_len ? "/" : "./", name);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0)
			return path;
		free(path);
		if (!*end)
			return NULL;
		dir = end;
	}
}

static const char *resolved_path(const char *name)
{
	if (!command_cache.name || strcmp(command_cache.name, name)) {
		free(command_cache.name);
		free(command_cache.path);
		command_cache.name = xstrdup(name);
		command_cache.path = find_in_path(name);
	}
	return command_cache.path;
}

void proc_forget_paths(void)
{
	free(command_cache.name);
	free(command_cache.path);
	command_cache.name = command_cache.path = NULL;
}

/* --nice: jobs take spawn_niceness when spawn_nice is set. */
static bool spawn_nice;
static int spawn_niceness;

void proc_set_niceness(bool nice, int niceness)
{
	errno = 0;
	int own = nice ? getpriority(PRIO_PROCESS, 0) : 0;
	spawn_nice = nice && errno == 0 && niceness > own;
	spawn_niceness = niceness;
}

/* ---- the jobs' environment ------------------------------------------------ */

/* Jobs see pooltop's environment plus PARALLEL_SEQ, PARALLEL_JOBSLOT,
 * PARALLEL_PID and --process-slot-var's variable, as GNU parallel and
 * xargs set them.  The array is built once in the parent (again only if
 * environ moved), with reserved entries whose texts are rewritten before
 * each spawn: the vfork child allocates nothing. */
struct job_environment {
	char **entries;          /* environ's entries, then the reserved ones, then NULL */
	size_t inherited;        /* how many came from environ */
	char **built_from;       /* the environ they were copied from */
	char seq[48], jobslot[48], pid[48];  /* PARALLEL_SEQ=..., PARALLEL_JOBSLOT=..., PARALLEL_PID=... */
	char *slot_var;          /* NAME=... for --process-slot-var, or NULL */
	size_t slot_var_name_len;  /* strlen(NAME) + 1, the '=' included */
};

static struct job_environment job_env;

void proc_set_process_slot_var(const char *name)
{
	free(job_env.slot_var);
	job_env.slot_var = name ? xasprintf("%s=%*s", name, 24, "") : NULL;
	job_env.slot_var_name_len = name ? strlen(name) + 1 : 0;
	job_env.built_from = NULL;  /* rebuild: NAME must not come twice */
}

/* The variables pooltop sets itself are left out of the inherited ones. */
static bool set_per_job(const char *entry)
{
	return !strncmp(entry, "PARALLEL_SEQ=", 13) || !strncmp(entry, "PARALLEL_JOBSLOT=", 17) ||
	       !strncmp(entry, "PARALLEL_PID=", 13) ||
	       (job_env.slot_var && !strncmp(entry, job_env.slot_var, job_env.slot_var_name_len));
}

static void build_job_environment(void)
{
	size_t count = 0;
	while (environ && environ[count])
		count++;
	free(job_env.entries);
	job_env.entries = xcalloc(count + 5, sizeof *job_env.entries);
	job_env.inherited = 0;
	for (size_t i = 0; i < count; i++)
		if (!set_per_job(environ[i]))
			job_env.entries[job_env.inherited++] = environ[i];
	job_env.built_from = environ;
}

/* The environment of one job: seq 0 leaves PARALLEL_SEQ out (a worker
 * runs many items). */
static char **job_environment(uint64_t seq, int slot, pid_t parent)
{
	if (job_env.built_from != environ || !job_env.entries)
		build_job_environment();
	char **entry = job_env.entries + job_env.inherited;
	if (seq) {
		snprintf(job_env.seq, sizeof job_env.seq, "PARALLEL_SEQ=%" PRIu64, seq);
		*entry++ = job_env.seq;
	}
	snprintf(job_env.jobslot, sizeof job_env.jobslot, "PARALLEL_JOBSLOT=%d", slot);
	*entry++ = job_env.jobslot;
	snprintf(job_env.pid, sizeof job_env.pid, "PARALLEL_PID=%d", (int)parent);
	*entry++ = job_env.pid;
	if (job_env.slot_var) {
		/* xargs and parallel: the slot number minus one. */
		snprintf(job_env.slot_var + job_env.slot_var_name_len, 25, "%d", slot - 1);
		*entry++ = job_env.slot_var;
	}
	*entry = NULL;
	return job_env.entries;
}

/* vfork keeps spawning cheap; the child makes only system calls before
 * exec, and reports an exec failure through child_errno (memory is shared
 * until exec).  The job gets what pooltop's caller set: its signal mask,
 * the signals it ignored, its open-file limit.  The job dies with pooltop
 * (PR_SET_PDEATHSIG) and the guardian kills its process group then, with
 * the children in it.  The child execs the path found earlier; if that
 * fails, execvp searches again and keeps its rules (EACCES, scripts
 * without #!), and the parent forgets the path so the next spawn looks it
 * up anew. */
pid_t proc_spawn(char *const argv[], int in_fd, int out_fd, int err_fd, int *exec_errno)
{
	return proc_spawn_job(argv, NULL, in_fd, out_fd, err_fd, exec_errno);
}

pid_t proc_spawn_job(char *const argv[], const struct proc_job *job, int in_fd, int out_fd, int err_fd,
		     int *exec_errno)
{
	static pid_t parent;
	if (!parent)
		parent = getpid();
	const char *path = resolved_path(argv[0]);
	char **env = job ? job_environment(job->seq, job->slot, parent) : environ;
	volatile int child_errno = 0, path_failed = 0;
	pid_t pid = vfork();
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
			_exit(127);
		rlimits_prepare_exec();
		loop_prepare_exec();
		if (spawn_nice)
			setpriority(PRIO_PROCESS, 0, spawn_niceness);
		if (path) {
			execve(path, argv, env);
			path_failed = 1;
		}
		execvpe(argv[0], argv, env);
		child_errno = errno ? errno : ENOEXEC;
		_exit(127);
	}
	if (path_failed)
		proc_forget_paths();  /* moved, replaced, or a script: search anew */
	if (pid > 0 && child_errno) {
		waitpid(pid, NULL, 0);
		*exec_errno = child_errno;
		return 0;
	}
	*exec_errno = pid < 0 ? errno : 0;
	if (pid < 0)
		return 0;
	guardian_watch_group(pid);
	return pid;
}

/* Only pooltop's read end is non-blocking: the job's write end must block
 * when the pipe is full, or a job writing faster than pooltop reads would
 * get EAGAIN and lose output. */
int proc_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC))
		return -1;
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK)) {
		int saved = errno;
		close(fds[0]);
		close(fds[1]);
		fds[0] = fds[1] = -1;
		errno = saved;
		return -1;
	}
	return 0;
}

char **proc_argv_join(const char *const head[], size_t heads, char *const tail[])
{
	size_t words = 0, bytes = 0;
	for (size_t i = 0; i < heads; i++)
		bytes += strlen(head[i]) + 1;
	while (tail && tail[words])
		bytes += strlen(tail[words++]) + 1;
	char **argv = xmalloc((heads + words + 1) * sizeof *argv + bytes);
	char *strings = (char *)(argv + heads + words + 1);
	for (size_t i = 0; i < heads + words; i++) {
		const char *word = i < heads ? head[i] : tail[i - heads];
		size_t len = strlen(word) + 1;
		argv[i] = memcpy(strings, word, len);
		strings += len;
	}
	argv[heads + words] = NULL;
	return argv;
}

const char *proc_exec_error(int error, int *exit_code)
{
	switch (error) {
	case ENOENT:
		*exit_code = 127;
		return "command not found";
	case E2BIG:
		*exit_code = 126;
		return "argument too long: one argument may hold at most 128 KiB (MAX_ARG_STRLEN)";
	case EACCES:
		*exit_code = 126;
		return "permission denied: the command is not executable";
	default:
		*exit_code = 126;
		return strerror(error);
	}
}

/* The leader's current system call, as the kernel shows it: "0 0x0 ..."
 * is read(0, ...), i.e. waiting for input on stdin. */
bool proc_waits_for_stdin(pid_t pid)
{
	char path[64], text[128];
	snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return false;
	text[n] = '\0';
	long number;
	unsigned long first_argument;
	return sscanf(text, "%ld 0x%lx", &number, &first_argument) == 2 && number == SYS_read &&
	       first_argument == 0;
}

/* ---- a slot's output ---------------------------------------------------- */

void slot_close_fd(struct slot *slot, int *fd)
{
	if (*fd < 0)
		return;
	loop_del_fd(slot->pool->loop, *fd);
	close(*fd);
	*fd = -1;
}

/* One read from the slot's stdout or stderr pipe, handed to its kind.
 * Returns false when nothing came (EOF, an error, or nothing waiting). */
static bool slot_read_stream(struct slot *slot, int *fd, int stream)
{
	char buffer[65536];
	ssize_t n;
	do
		n = read(*fd, buffer, sizeof buffer);
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		slot->pool->kind->output(slot, stream, buffer, (size_t)n);
		return true;
	}
	if (n < 0 && errno == EAGAIN)
		return false;
	/* EOF (the process and its descendants closed it) or an error: the
	 * exit is reaped apart. */
	slot_close_fd(slot, fd);
	slot->pool->kind->output(slot, stream, NULL, 0);
	return false;
}

static void slot_output_ready(struct loop *loop, int fd, short revents, void *data)
{
	(void)loop;
	(void)revents;
	struct slot *slot = data;
	if (fd == slot->out_fd)
		slot_read_stream(slot, &slot->out_fd, 1);
	else if (fd == slot->err_fd)
		slot_read_stream(slot, &slot->err_fd, 2);
}

void slot_watch_output(struct slot *slot)
{
	short events = slot->pool->output_paused ? 0 : POLLIN;
	if (slot->out_fd >= 0)
		loop_add_fd(slot->pool->loop, slot->out_fd, events, slot_output_ready, slot);
	if (slot->err_fd >= 0)
		loop_add_fd(slot->pool->loop, slot->err_fd, events, slot_output_ready, slot);
}

void slot_run_process(struct slot *slot, pid_t pid, int out_fd, int err_fd, double started)
{
	slot->pid = pid;
	slot->out_fd = out_fd;
	slot->err_fd = err_fd;
	slot_watch_output(slot);
	if (slot->pool->suspended)
		slot_signal(slot, SIGSTOP);
	slot_arm_timeout(slot, started);
}

/* A paused pipe still reports its end (POLLHUP): the little a finished
 * job left in it is read then, which a full pipe bounds. */
void slot_pause_output(struct slot *slot, bool paused)
{
	short events = paused ? 0 : POLLIN;
	loop_set_events(slot->pool->loop, slot->out_fd, events);
	loop_set_events(slot->pool->loop, slot->err_fd, events);
}

/* A descendant that still holds a pipe open does not hold up the result:
 * read what is there now, then close. */
void slot_drain_output(struct slot *slot)
{
	while (slot->out_fd >= 0 && slot_read_stream(slot, &slot->out_fd, 1))
		;
	slot_close_fd(slot, &slot->out_fd);
	while (slot->err_fd >= 0 && slot_read_stream(slot, &slot->err_fd, 2))
		;
	slot_close_fd(slot, &slot->err_fd);
}
