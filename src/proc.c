/* proc.c - process plumbing for the slot kinds that run local processes:
 * spawning in a process group of its own, the pipes to and from it, what
 * a failed exec means, the /proc probe, and reading a slot's output. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loop.h"
#include "slot.h"

/* vfork keeps spawning cheap; the child makes only system calls before
 * exec, and reports an exec failure through child_errno (memory is shared
 * until exec).  The job dies with pooltop (PR_SET_PDEATHSIG). */
pid_t proc_spawn(char *const argv[], int in_fd, int out_fd, int err_fd, int *exec_errno)
{
	volatile int child_errno = 0;
	pid_t parent = getpid();
	pid_t pid = vfork();
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
			_exit(127);
		sigprocmask(SIG_SETMASK, loop_original_sigmask(), NULL);
		execvp(argv[0], argv);
		child_errno = errno ? errno : ENOEXEC;
		_exit(127);
	}
	if (pid > 0 && child_errno) {
		waitpid(pid, NULL, 0);
		*exec_errno = child_errno;
		return 0;
	}
	*exec_errno = pid < 0 ? errno : 0;
	return pid < 0 ? 0 : pid;
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
	if (slot->out_fd >= 0)
		loop_add_fd(slot->pool->loop, slot->out_fd, POLLIN, slot_output_ready, slot);
	if (slot->err_fd >= 0)
		loop_add_fd(slot->pool->loop, slot->err_fd, POLLIN, slot_output_ready, slot);
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
