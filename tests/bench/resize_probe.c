/* resize_probe.c - measures how long a resize takes to show: from SIGUSR1,
 * or from connecting to the control socket to send `jobs +1`, until the new
 * job runs its first instruction; and, as the anchor, the same for a bare
 * posix_spawn of the job.  The job is this program too: it writes the
 * monotonic clock to a FIFO the moment it starts.
 *
 *   resize_probe measure POOLTOP ROUNDS   run the benchmark, print figures
 *   resize_probe job FIFO [ITEM]          (the job pooltop runs) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WAIT_MS 10000            /* give up on a job that never shows */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- the job --------------------------------------------------------------- */

static int run_job(const char *fifo)
{
	char line[64];
	int len = snprintf(line, sizeof line, "%.6f\n", now_ms());
	int fd = open(fifo, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, line, (size_t)len) != len)
		return 1;
	close(fd);
	for (;;)
		pause();  /* until pooltop kills it */
}

/* ---- the measurement ----------------------------------------------------- */

struct bench {
	pid_t pooltop;
	int fifo_fd;             /* read end, held open for the whole run */
	char socket_path[108];
	char fifo_path[108];
	char dir[64];
};

static void die(const char *what)
{
	fprintf(stderr, "resize_probe: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* One job's start time from the FIFO, or -1 after WAIT_MS. */
static double next_start(struct bench *bench)
{
	static char buffer[4096];
	static size_t len;
	double deadline = now_ms() + WAIT_MS;
	for (;;) {
		char *newline = memchr(buffer, '\n', len);
		if (newline) {
			*newline = '\0';
			double started = strtod(buffer, NULL);
			len -= (size_t)(newline + 1 - buffer);
			memmove(buffer, newline + 1, len);
			return started;
		}
		struct pollfd entry = { .fd = bench->fifo_fd, .events = POLLIN };
		int timeout = (int)(deadline - now_ms());
		if (timeout <= 0 || poll(&entry, 1, timeout) <= 0)
			return -1;
		ssize_t n = read(bench->fifo_fd, buffer + len, sizeof buffer - 1 - len);
		if (n > 0)
			len += (size_t)n;
	}
}

static int connect_socket(const struct bench *bench)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	strcpy(address.sun_path, bench->socket_path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Send one command on a fresh connection; the reply in reply. */
static int command(const struct bench *bench, const char *line, char *reply, size_t size)
{
	int fd = connect_socket(bench);
	if (fd < 0)
		return -1;
	size_t len = strlen(line), got = 0;
	if (write(fd, line, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	ssize_t n;
	while (got + 1 < size && (n = read(fd, reply + got, size - 1 - got)) > 0) {
		got += (size_t)n;
		if (memchr(reply, '\n', got))
			break;
	}
	reply[got] = '\0';
	close(fd);
	return got ? 0 : -1;
}

/* Wait until exactly `running` jobs run (a killed job has been reaped). */
static void wait_running(const struct bench *bench, int running)
{
	char want[32], reply[1024];
	snprintf(want, sizeof want, "\"running\":%d,", running);
	double deadline = now_ms() + WAIT_MS;
	while (now_ms() < deadline) {
		if (command(bench, "status\n", reply, sizeof reply) == 0 && strstr(reply, want))
			return;
		usleep(1000);
	}
	fprintf(stderr, "resize_probe: the pool never got back to %d running job(s)\n", running);
	exit(1);
}

static void start_pooltop(struct bench *bench, const char *pooltop, const char *self)
{
	char control[160];
	snprintf(control, sizeof control, "--control=%s", bench->socket_path);
	bench->pooltop = fork();
	if (bench->pooltop < 0)
		die("fork");
	if (bench->pooltop == 0) {
		int null_fd = open("/dev/null", O_RDWR);
		dup2(null_fd, 0);
		dup2(null_fd, 1);
		dup2(null_fd, 2);  /* "item 1: killed" at the end is expected */
		execl(pooltop, pooltop, "--batch", control, "-j1", "--shrink=kill", "--range=1..100000000", "--",
		      self, "job", bench->fifo_path, (char *)NULL);
		_exit(127);
	}
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One line for people, one "result NAME MEDIAN P90 WORST" line for the script. */
static void report(const char *what, const char *name, double *latencies, int rounds)
{
	qsort(latencies, (size_t)rounds, sizeof *latencies, compare);
	double median = rounds % 2 ? latencies[rounds / 2]
				   : (latencies[rounds / 2 - 1] + latencies[rounds / 2]) / 2;
	double p90 = latencies[(rounds * 9) / 10 < rounds ? (rounds * 9) / 10 : rounds - 1];
	printf("%-34s median %7.3f ms   p90 %7.3f ms   worst %7.3f ms\n", what, median, p90,
	       latencies[rounds - 1]);
	printf("result %s %.3f %.3f %.3f\n", name, median, p90, latencies[rounds - 1]);
}

/* Grow by one, time until the new job starts, shrink back by killing it. */
static double round_signal(struct bench *bench)
{
	double sent = now_ms();
	kill(bench->pooltop, SIGUSR1);
	double started = next_start(bench);
	if (started < 0) {
		fputs("resize_probe: no job started after SIGUSR1\n", stderr);
		exit(1);
	}
	kill(bench->pooltop, SIGUSR2);
	wait_running(bench, 1);
	return started - sent;
}

static double round_socket(struct bench *bench)
{
	char reply[256];
	double sent = now_ms();
	if (command(bench, "jobs +1\n", reply, sizeof reply) || strncmp(reply, "ok", 2)) {
		fprintf(stderr, "resize_probe: jobs +1 failed: %s\n", reply);
		exit(1);
	}
	double started = next_start(bench);
	if (started < 0) {
		fputs("resize_probe: no job started after jobs +1\n", stderr);
		exit(1);
	}
	command(bench, "jobs -1!\n", reply, sizeof reply);
	wait_running(bench, 1);
	return started - sent;
}

/* The anchor: this process spawns the job itself, with nothing between. */
static double round_spawn(struct bench *bench, const char *self)
{
	char job[] = "job";
	char *argv[] = { (char *)self, job, bench->fifo_path, NULL };
	pid_t pid;
	double sent = now_ms();
	if (posix_spawn(&pid, self, NULL, NULL, argv, environ))
		die("posix_spawn");
	double started = next_start(bench);
	if (started < 0) {
		fputs("resize_probe: the spawned job never started\n", stderr);
		exit(1);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return started - sent;
}

static int run_measure(const char *pooltop, const char *self, int rounds)
{
	struct bench bench = { 0 };
	snprintf(bench.dir, sizeof bench.dir, "/tmp/resize_probe.XXXXXX");
	if (!mkdtemp(bench.dir))
		die("mkdtemp");
	snprintf(bench.socket_path, sizeof bench.socket_path, "%s/control", bench.dir);
	snprintf(bench.fifo_path, sizeof bench.fifo_path, "%s/starts", bench.dir);
	if (mkfifo(bench.fifo_path, 0600))
		die("mkfifo");
	/* Read and write: the FIFO never reports EOF between jobs. */
	bench.fifo_fd = open(bench.fifo_path, O_RDWR | O_CLOEXEC);
	if (bench.fifo_fd < 0)
		die("open fifo");
	start_pooltop(&bench, pooltop, self);
	if (next_start(&bench) < 0) {
		fputs("resize_probe: pooltop started no job\n", stderr);
		return 1;
	}
	wait_running(&bench, 1);

	/* The three paths take turns, each round starting with another one, so
	 * load elsewhere on the machine falls on all of them alike. */
	double *latencies[3];
	for (int path = 0; path < 3; path++)
		if (!(latencies[path] = calloc((size_t)rounds, sizeof *latencies[path])))
			die("calloc");
	for (int i = 0; i < rounds; i++)
		for (int turn = 0; turn < 3; turn++) {
			int path = (i + turn) % 3;
			latencies[path][i] = path == 0 ? round_signal(&bench)
					   : path == 1 ? round_socket(&bench)
						       : round_spawn(&bench, self);
		}
	report("SIGUSR1 -> new job running", "signal", latencies[0], rounds);
	report("jobs +1 (from connect) -> running", "socket", latencies[1], rounds);
	report("bare posix_spawn -> running", "spawn", latencies[2], rounds);
	for (int path = 0; path < 3; path++)
		free(latencies[path]);

	char reply[256];
	command(&bench, "quit kill\n", reply, sizeof reply);
	waitpid(bench.pooltop, NULL, 0);
	close(bench.fifo_fd);
	unlink(bench.fifo_path);
	rmdir(bench.dir);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "job"))
		return run_job(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "measure")) {
		int rounds = atoi(argv[3]);
		char *self = realpath(argv[0], NULL);  /* pooltop runs it from its own directory */
		if (!self)
			die(argv[0]);
		int status = run_measure(argv[2], self, rounds > 0 ? rounds : 100);
		free(self);
		return status;
	}
	fputs("usage: resize_probe measure POOLTOP ROUNDS\n", stderr);
	return 2;
}
