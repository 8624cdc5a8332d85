/* machine.c - the machine's figures (see machine.h): a handful of small
 * /proc files read whole with one read() each, parsed without allocating.
 * The busy share comes from the growth of /proc/stat's tick counters
 * between two readings. */
#include "machine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

/* Enough for /proc/stat's cpu lines on a few dozen CPUs; the rest of the
 * file (interrupt counts) is never needed. */
#define READ_SIZE 8192

struct machine {
	char *root;              /* "/proc" or a test's directory */
	uint64_t busy, total;    /* /proc/stat's counters at the last reading */
	bool counted;            /* busy and total hold a reading */
	char buffer[READ_SIZE];
};

struct machine *machine_new(const char *proc_root)
{
	struct machine *machine = xcalloc(1, sizeof *machine);
	machine->root = xstrdup(proc_root ? proc_root : "/proc");
	return machine;
}

void machine_free(struct machine *machine)
{
	if (!machine)
		return;
	free(machine->root);
	free(machine);
}

/* The start of root/name in the buffer, NUL-terminated; NULL when it
 * cannot be read. */
static const char *read_file(struct machine *machine, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", machine->root, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	ssize_t got;
	do
		got = read(fd, machine->buffer, sizeof machine->buffer - 1);
	while (got < 0 && errno == EINTR);
	close(fd);
	if (got <= 0)
		return NULL;
	machine->buffer[got] = '\0';
	return machine->buffer;
}

double machine_parse_loadavg(const char *text)
{
	char *end;
	double load = text ? strtod(text, &end) : 0;
	return text && end != text && load >= 0 ? load : -1;
}

/* The line after the one text points into, or NULL. */
static const char *next_line(const char *text)
{
	const char *newline = strchr(text, '\n');
	return newline ? newline + 1 : NULL;
}

bool machine_parse_stat(const char *text, uint64_t *busy, uint64_t *total, int *cores)
{
	bool found = false;
	*busy = *total = 0;
	*cores = 0;
	for (const char *line = text; line && *line; line = next_line(line)) {
		if (strncmp(line, "cpu", 3) != 0)
			continue;
		if (line[3] >= '0' && line[3] <= '9') {
			(*cores)++;
			continue;
		}
		if (line[3] != ' ' || found)
			continue;
		/* user nice system idle iowait irq softirq steal (guest time is
		 * already inside user and nice). */
		const char *at = line + 3;
		for (int field = 0; field < 8; field++) {
			char *end;
			unsigned long long ticks = strtoull(at, &end, 10);
			if (end == at)
				break;
			at = end;
			*total += ticks;
			if (field != 3 && field != 4)  /* idle and iowait are not busy */
				*busy += ticks;
		}
		found = *total > 0;
	}
	return found;
}

bool machine_meminfo_field(const char *text, const char *name, uint64_t *bytes)
{
	size_t len = strlen(name);
	for (const char *line = text; line && *line; line = next_line(line)) {
		if (strncmp(line, name, len) == 0 && line[len] == ':') {
			char *end;
			unsigned long long kib = strtoull(line + len + 1, &end, 10);
			if (end == line + len + 1)
				return false;
			*bytes = (uint64_t)kib * 1024;
			return true;
		}
	}
	return false;
}

void machine_parse_meminfo(const char *text, uint64_t *available, uint64_t *total)
{
	*available = *total = 0;
	if (text) {
		machine_meminfo_field(text, "MemAvailable", available);
		machine_meminfo_field(text, "MemTotal", total);
	}
}

double machine_parse_pressure(const char *text)
{
	if (!text)
		return -1;
	for (const char *line = text; line && *line; line = next_line(line)) {
		if (strncmp(line, "some ", 5) != 0)
			continue;
		const char *avg10 = strstr(line, "avg10=");
		const char *newline = strchr(line, '\n');
		if (!avg10 || (newline && avg10 > newline))
			return -1;
		char *end;
		double value = strtod(avg10 + 6, &end);
		return end != avg10 + 6 && value >= 0 ? value : -1;
	}
	return -1;
}

bool machine_parse_schedstat(const char *text, uint64_t *run_ns, uint64_t *wait_ns)
{
	if (!text)
		return false;
	char *end, *end2;
	unsigned long long run = strtoull(text, &end, 10);
	unsigned long long wait = strtoull(end, &end2, 10);
	if (end == text || end2 == end)
		return false;
	*run_ns = run;
	*wait_ns = wait;
	return true;
}

bool machine_task_times(struct machine *machine, pid_t pid, uint64_t *run_ns, uint64_t *wait_ns)
{
	char name[64];
	snprintf(name, sizeof name, "%ld/schedstat", (long)pid);
	return pid > 0 && machine_parse_schedstat(read_file(machine, name), run_ns, wait_ns);
}

int machine_task_children(struct machine *machine, pid_t pid, pid_t *children, int max)
{
	char name[96];
	snprintf(name, sizeof name, "%ld/task/%ld/children", (long)pid, (long)pid);
	const char *text = pid > 0 ? read_file(machine, name) : NULL;
	int count = 0;
	while (text && count < max) {
		char *end;
		long child = strtol(text, &end, 10);
		if (end == text || child <= 0)
			break;
		children[count++] = (pid_t)child;
		text = end;
	}
	return count;
}

void machine_read(struct machine *machine, struct machine_figures *figures)
{
	*figures = (struct machine_figures){ .busy_percent = -1 };
	figures->load1 = machine_parse_loadavg(read_file(machine, "loadavg"));

	const char *stat = read_file(machine, "stat");
	uint64_t busy, total;
	int cores;
	if (stat && machine_parse_stat(stat, &busy, &total, &cores)) {
		figures->cores = cores;
		if (machine->counted && total > machine->total && busy >= machine->busy)
			figures->busy_percent = (double)(busy - machine->busy) / (double)(total - machine->total) *
						100.0 * (cores > 0 ? cores : 1);
		machine->busy = busy;
		machine->total = total;
		machine->counted = true;
	}

	machine_parse_meminfo(read_file(machine, "meminfo"), &figures->mem_available, &figures->mem_total);
	figures->pressure.cpu = machine_parse_pressure(read_file(machine, "pressure/cpu"));
	figures->pressure.memory = machine_parse_pressure(read_file(machine, "pressure/memory"));
	figures->pressure.io = machine_parse_pressure(read_file(machine, "pressure/io"));
}
