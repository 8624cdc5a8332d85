/* tuning_peer.c - a raw client of the control socket for the shell tests:
 * it sends bytes no well-behaved client would (NUL bytes, a 1 MiB line,
 * half a line), holds a connection without writing, or never reads. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define REPLY_SECONDS 10
#define FLOOD_SECONDS 60

static const char usage[] =
	"usage: tuning_peer SOCKET send [REPLIES]  send standard input, print REPLIES reply lines\n"
	"                                           (all of them, until the server closes, without)\n"
	"       tuning_peer SOCKET hold            connect, send nothing until standard input ends\n"
	"       tuning_peer SOCKET flood           send commands, never read; exit 0 once dropped\n";

static int connect_to(const char *path)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof address.sun_path)
		return -1;
	strcpy(address.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address)) {
		fprintf(stderr, "tuning_peer: cannot connect to %s: %s\n", path, strerror(errno));
		return -1;
	}
	return fd;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copy standard input to the socket, NUL bytes and all. */
static int send_input(int fd)
{
	char buffer[65536];
	ssize_t n;
	while ((n = read(0, buffer, sizeof buffer)) > 0)
		if (write_all(fd, buffer, (size_t)n))
			return -1;
	return n < 0 ? -1 : 0;
}

/* Print reply lines as they come: `wanted` of them, or all until EOF
 * when wanted is negative.  Returns 0 when every wanted line came. */
static int print_replies(int fd, long wanted)
{
	long lines = 0;
	char c;
	while (wanted < 0 || lines < wanted) {
		struct pollfd entry = { .fd = fd, .events = POLLIN };
		int ready = poll(&entry, 1, REPLY_SECONDS * 1000);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			return 1;
		ssize_t n = read(fd, &c, 1);
		if (n <= 0)
			return wanted < 0 ? 0 : 1;
		putchar(c);
		if (c == '\n')
			lines++;
	}
	return 0;
}

static int do_send(const char *path, long wanted)
{
	int fd = connect_to(path);
	if (fd < 0)
		return 2;
	int status = send_input(fd) ? 1 : 0;
	if (wanted < 0)
		shutdown(fd, SHUT_WR);
	if (print_replies(fd, wanted))
		status = 1;
	close(fd);
	return status;
}

static int do_hold(const char *path)
{
	int fd = connect_to(path);
	if (fd < 0)
		return 2;
	char buffer[256];
	while (read(0, buffer, sizeof buffer) > 0)
		;
	close(fd);
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Keep sending without ever reading the replies: the server must drop us
 * rather than buffer replies without end. */
static int do_flood(const char *path)
{
	int fd = connect_to(path);
	if (fd < 0)
		return 2;
	static const char command[] = "status\n";
	unsigned long sent = 0;
	double deadline = now() + FLOOD_SECONDS;
	while (now() < deadline) {
		struct pollfd entry = { .fd = fd, .events = POLLOUT };
		if (poll(&entry, 1, 1000) < 0 && errno != EINTR)
			break;
		if (entry.revents & (POLLERR | POLLHUP)) {
			printf("dropped after %lu bytes\n", sent);
			return 0;
		}
		if (!(entry.revents & POLLOUT))
			continue;
		ssize_t n = send(fd, command, sizeof command - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			sent += (unsigned long)n;
			continue;
		}
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
			printf("dropped after %lu bytes\n", sent);
			return 0;
		}
	}
	printf("still connected after %lu bytes\n", sent);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[2], "send") && argc <= 4)
		return do_send(argv[1], argc == 4 ? strtol(argv[3], NULL, 10) : -1);
	if (argc == 3 && !strcmp(argv[2], "hold"))
		return do_hold(argv[1]);
	if (argc == 3 && !strcmp(argv[2], "flood"))
		return do_flood(argv[1]);
	fputs(usage, stderr);
	return 2;
}
