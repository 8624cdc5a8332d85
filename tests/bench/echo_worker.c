/* echo_worker.c - the trivial worker the throughput benchmarks feed: every
 * line read on stdin is written back on stdout. It answers all the complete
 * lines one read() brought in with one write(), so a single item in flight
 * is answered at once and 64 in flight travel back as one batch. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#define BUFFER_SIZE 65536

static int write_all(const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Where the last complete line of data ends, or 0 if there is none. */
static size_t complete_lines_length(const char *data, size_t len)
{
	while (len > 0 && data[len - 1] != '\n')
		len--;
	return len;
}

int main(void)
{
	static char buffer[BUFFER_SIZE];
	size_t used = 0;

	for (;;) {
		if (used == sizeof buffer) {
			/* One line fills the buffer: pass its first part on. */
			if (write_all(buffer, used) < 0)
				return 1;
			used = 0;
		}
		ssize_t n = read(STDIN_FILENO, buffer + used, sizeof buffer - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 1;
		if (n == 0)
			break;
		used += (size_t)n;
		size_t answer = complete_lines_length(buffer, used);
		if (answer == 0)
			continue;
		if (write_all(buffer, answer) < 0)
			return 1;
		memmove(buffer, buffer + answer, used - answer);
		used -= answer;
	}
	/* A last item without its newline still gets its answer line; the
	 * loop left room for the newline, as it reads only into free space. */
	if (used > 0) {
		buffer[used++] = '\n';
		if (write_all(buffer, used) < 0)
			return 1;
	}
	return 0;
}
