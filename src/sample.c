/* sample.c - CPU% and resident memory of process trees.  Descendants are
 * found through /proc/PID/task/TID/children, never by scanning /proc, and
 * the numbers of all trees' members are read together with libproc2. */
#include "sample.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "xalloc.h"

/* procps_pids_select() refuses more PIDs than this in one call. */
#define SELECT_CHUNK 255
/* Bounds one tree's walk, so a PID reused while we read cannot loop it. */
#define TREE_MEMBERS_MAX 65536
/* A leader younger than this has too few ticks for a first figure. */
#define FIRST_SIGHTING_MIN_AGE 0.2

/* The libproc2 items read, all from /proc/PID/stat, in this order. */
enum sample_item {
	ITEM_PID,
	ITEM_TICKS,
	ITEM_RSS,
	ITEM_STATE,
	ITEM_THREADS,
	ITEM_ELAPSED,
};

static enum pids_item sample_items[] = {
	[ITEM_PID] = PIDS_ID_PID,
	[ITEM_TICKS] = PIDS_TICS_ALL_C,
	[ITEM_RSS] = PIDS_RSS,
	[ITEM_STATE] = PIDS_STATE,
	[ITEM_THREADS] = PIDS_NLWP,
	[ITEM_ELAPSED] = PIDS_TIME_ELAPSED,
};

/* The libproc2 items of the detail view's reading of one tree, in order:
 * the stat items and the command line (which costs a read of its own, so
 * only this reading asks for it). */
enum detail_item {
	DETAIL_PID,
	DETAIL_PARENT,
	DETAIL_STATE,
	DETAIL_TICKS,
	DETAIL_RSS,
	DETAIL_ELAPSED,
	DETAIL_NAME,
	DETAIL_COMMAND,
};

static enum pids_item detail_items[] = {
	[DETAIL_PID] = PIDS_ID_PID,
	[DETAIL_PARENT] = PIDS_ID_PPID,
	[DETAIL_STATE] = PIDS_STATE,
	[DETAIL_TICKS] = PIDS_TICS_ALL,
	[DETAIL_RSS] = PIDS_RSS,
	[DETAIL_ELAPSED] = PIDS_TIME_ELAPSED,
	[DETAIL_NAME] = PIDS_CMD,
	[DETAIL_COMMAND] = PIDS_CMDLINE,
};

struct member {
	pid_t pid;             /* a process found in a tree */
	int threads;           /* its thread count when read, 0 if not read */
	size_t tree;           /* index of that tree in the caller's array */
};

struct member_list {
	struct member *items;  /* sorted by pid (then tree) once collected */
	size_t count, capacity;
};

struct tree_total {
	uint64_t ticks;        /* utime+stime+cutime+cstime summed over members */
	uint64_t rss_pages;    /* resident pages summed over members */
	int processes;         /* members that are not zombies */
	bool root_alive;       /* the leader was read and is not a zombie */
	double root_age;       /* seconds since the leader started */
};

struct root_state {
	pid_t root;            /* a tree leader listed in the last call */
	uint64_t ticks;        /* the tree's tick total read at `time` */
	double time;           /* monotonic seconds of that reading */
	double cpu_percent;    /* the figure reported then, -1 if none */
};

struct state_list {
	struct root_state *items;  /* sorted by root */
	size_t count, capacity;
};

struct sampler {
	struct pids_info *info;        /* libproc2 handle, created once */
	struct pids_info *detail_info; /* for sampler_tree_read, made at its first call */
	struct member_list detail_members;  /* that reading's processes */
	long hertz;                    /* clock ticks per second */
	long page_size;                /* bytes per page, for RSS */

	struct member_list members;    /* this call's members of every tree */
	struct member_list previous;   /* the last call's, for thread counts */
	struct tree_total *totals;     /* one per tree of the current call */
	size_t totals_capacity;
	struct state_list states;      /* per root listed in the last call */
	struct state_list next_states; /* being built; then swapped in */

	unsigned chunk[SELECT_CHUNK];  /* PIDs handed to one select */
	_Alignas(struct dirent64) char dirents[4096]; /* getdents64 buffer */
	char children[4096];           /* read buffer for children files */
};

struct sampler *sampler_new(void)
{
	struct sampler *sampler = xcalloc(1, sizeof *sampler);
	int items = (int)(sizeof sample_items / sizeof sample_items[0]);
	if (procps_pids_new(&sampler->info, sample_items, items) < 0) {
		free(sampler);
		return NULL;
	}
	sampler->hertz = sysconf(_SC_CLK_TCK);
	sampler->page_size = sysconf(_SC_PAGESIZE);
	if (sampler->hertz <= 0)
		sampler->hertz = 100;
	if (sampler->page_size <= 0)
		sampler->page_size = 4096;
	return sampler;
}

void sampler_free(struct sampler *sampler)
{
	if (!sampler)
		return;
	procps_pids_unref(&sampler->info);
	if (sampler->detail_info)
		procps_pids_unref(&sampler->detail_info);
	free(sampler->detail_members.items);
	free(sampler->members.items);
	free(sampler->previous.items);
	free(sampler->totals);
	free(sampler->states.items);
	free(sampler->next_states.items);
	free(sampler);
}

long sampler_hertz(const struct sampler *sampler)
{
	return sampler->hertz;
}

double sample_cpu_percent(uint64_t ticks_before, uint64_t ticks_now, double seconds, long hertz)
{
	if (!(seconds > 0) || hertz <= 0 || ticks_now <= ticks_before)
		return 0;
	return (double)(ticks_now - ticks_before) / (double)hertz / seconds * 100.0;
}

/* The arrays only grow (xgrow), so steady sampling allocates nothing. */
static void member_add(struct member_list *list, pid_t pid, size_t tree)
{
	xgrow(&list->items, &list->capacity, list->count + 1, sizeof *list->items);
	list->items[list->count++] = (struct member){ .pid = pid, .tree = tree };
}

/* Index of the first member with this pid, or list->count if none. */
static size_t member_find(const struct member_list *list, pid_t pid)
{
	size_t low = 0, high = list->count;
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		if (list->items[middle].pid < pid)
			low = middle + 1;
		else
			high = middle;
	}
	if (low < list->count && list->items[low].pid == pid)
		return low;
	return list->count;
}

static int member_compare(const void *a, const void *b)
{
	const struct member *left = a, *right = b;
	if (left->pid != right->pid)
		return left->pid < right->pid ? -1 : 1;
	if (left->tree != right->tree)
		return left->tree < right->tree ? -1 : 1;
	return 0;
}

/* Adds every PID listed in /proc/PID/task/TID/children as a member.  A
 * task that vanished meanwhile simply has no children. */
static void children_add(struct sampler *sampler, struct member_list *list, pid_t pid, pid_t tid,
			 size_t tree)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	long child = 0;
	bool in_number = false;
	for (;;) {
		ssize_t got = read(fd, sampler->children, sizeof sampler->children);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		/* A number may straddle two reads: parse digit by digit. */
		for (ssize_t i = 0; i < got; i++) {
			char c = sampler->children[i];
			if (c >= '0' && c <= '9') {
				child = child * 10 + (c - '0');
				in_number = true;
				continue;
			}
			if (in_number)
				member_add(list, (pid_t)child, tree);
			child = 0;
			in_number = false;
		}
	}
	if (in_number)
		member_add(list, (pid_t)child, tree);
	close(fd);
}

/* Adds the children of every task (thread) of process `pid`: a child's
 * parent is the thread that forked it. */
static void threads_children_add(struct sampler *sampler, struct member_list *list, pid_t pid,
				 size_t tree)
{
	char path[32];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t got;
	while ((got = getdents64(fd, sampler->dirents, sizeof sampler->dirents)) > 0) {
		for (ssize_t offset = 0; offset < got;) {
			/* The record's fields are read where they lie, with no
			 * cast of the byte buffer to a struct. */
			const char *record = sampler->dirents + offset;
			unsigned short record_length;
			memcpy(&record_length, record + offsetof(struct dirent64, d_reclen),
			       sizeof record_length);
			const char *name = record + offsetof(struct dirent64, d_name);
			offset += record_length;
			if (name[0] < '0' || name[0] > '9')
				continue;
			children_add(sampler, list, pid, (pid_t)strtol(name, NULL, 10), tree);
		}
	}
	close(fd);
}

/* A process that had one thread at the last reading is read as still
 * having one: listing its tasks would cost as much again, and a child of
 * a thread started since then is found at the next reading. */
static void process_children_add(struct sampler *sampler, pid_t pid, size_t tree)
{
	size_t known = member_find(&sampler->previous, pid);
	if (known < sampler->previous.count && sampler->previous.items[known].threads == 1)
		children_add(sampler, &sampler->members, pid, pid, tree);
	else
		threads_children_add(sampler, &sampler->members, pid, tree);
}

/* Appends the root and all its descendants, breadth first. */
static void tree_collect(struct sampler *sampler, pid_t root, size_t tree)
{
	if (root <= 0)
		return;
	struct member_list *members = &sampler->members;
	size_t first = members->count;
	member_add(members, root, tree);
	for (size_t next = first; next < members->count; next++) {
		if (members->count - first >= TREE_MEMBERS_MAX)
			break;
		process_children_add(sampler, members->items[next].pid, tree);
	}
}

/* Credits one process's numbers to every tree it belongs to. */
static void process_account(struct sampler *sampler, struct pids_stack *stack,
			    const struct tree_usage *trees)
{
	struct pids_info *info = sampler->info;
	(void)info; /* PIDS_VAL names it but does not use it */
	pid_t pid = PIDS_VAL(ITEM_PID, s_int, stack, info);
	uint64_t ticks = PIDS_VAL(ITEM_TICKS, ull_int, stack, info);
	uint64_t rss = PIDS_VAL(ITEM_RSS, ul_int, stack, info);
	int threads = PIDS_VAL(ITEM_THREADS, s_int, stack, info);
	/* A zombie leader whose other threads still run is alive. */
	bool zombie = PIDS_VAL(ITEM_STATE, s_ch, stack, info) == 'Z' && threads <= 1;
	struct member_list *members = &sampler->members;
	size_t first = member_find(members, pid);
	for (size_t i = first; i < members->count && members->items[i].pid == pid; i++) {
		members->items[i].threads = threads;
		size_t tree = members->items[i].tree;
		/* The same PID seen twice in one tree (a race) counts once. */
		if (i > first && members->items[i - 1].tree == tree)
			continue;
		struct tree_total *total = &sampler->totals[tree];
		/* A zombie's ticks still count: its parent has not inherited them yet. */
		total->ticks += ticks;
		if (zombie)
			continue;
		total->rss_pages += rss;
		total->processes++;
		if (pid == trees[tree].root) {
			total->root_alive = true;
			total->root_age = PIDS_VAL(ITEM_ELAPSED, real, stack, info);
		}
	}
}

static int chunk_read(struct sampler *sampler, int count, const struct tree_usage *trees)
{
	struct pids_fetch *fetch = procps_pids_select(sampler->info, sampler->chunk, count,
						      PIDS_SELECT_PID);
	if (!fetch)
		return -1;
	for (int i = 0; i < fetch->counts->total; i++)
		process_account(sampler, fetch->stacks[i], trees);
	return 0;
}

/* Reads every distinct member PID, all trees together, in chunks of at
 * most SELECT_CHUNK: fewer, fuller selects cost less than one per tree. */
static int members_read(struct sampler *sampler, const struct tree_usage *trees)
{
	const struct member_list *members = &sampler->members;
	int count = 0;
	for (size_t i = 0; i < members->count; i++) {
		pid_t pid = members->items[i].pid;
		if (i > 0 && members->items[i - 1].pid == pid)
			continue;
		sampler->chunk[count++] = (unsigned)pid;
		if (count == SELECT_CHUNK) {
			if (chunk_read(sampler, count, trees) < 0)
				return -1;
			count = 0;
		}
	}
	if (count > 0)
		return chunk_read(sampler, count, trees);
	return 0;
}

static const struct root_state *state_find(const struct state_list *states, pid_t root)
{
	size_t low = 0, high = states->count;
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		pid_t found = states->items[middle].root;
		if (found == root)
			return &states->items[middle];
		if (found < root)
			low = middle + 1;
		else
			high = middle;
	}
	return NULL;
}

static int state_compare(const void *a, const void *b)
{
	const struct root_state *left = a, *right = b;
	if (left->root != right->root)
		return left->root < right->root ? -1 : 1;
	return 0;
}

/* Turns one tree's totals into its figures and appends what the next call
 * needs to next_states (nothing for a tree whose leader is gone). */
static void tree_report(struct sampler *sampler, struct tree_usage *tree,
			const struct tree_total *total, double now)
{
	if (!total->root_alive) {
		tree->cpu_percent = -1;
		tree->rss_bytes = 0;
		tree->ticks = 0;
		tree->processes = 0;
		return;
	}
	tree->rss_bytes = total->rss_pages * (uint64_t)sampler->page_size;
	tree->ticks = total->ticks;
	tree->processes = total->processes;
	struct root_state *next = &sampler->next_states.items[sampler->next_states.count++];
	const struct root_state *before = state_find(&sampler->states, tree->root);
	if (before && !(now > before->time)) {
		/* Asked again with no time passed: repeat the last figure. */
		*next = *before;
		tree->cpu_percent = before->cpu_percent;
		return;
	}
	/* Seen for the first time: every tick of the tree came after its
	 * leader started, so a job shorter than one refresh still gets its
	 * figure (an average over its life so far), as top shows new tasks. */
	if (before)
		tree->cpu_percent = sample_cpu_percent(before->ticks, total->ticks,
						       now - before->time, sampler->hertz);
	else if (total->root_age >= FIRST_SIGHTING_MIN_AGE)
		tree->cpu_percent = sample_cpu_percent(0, total->ticks, total->root_age, sampler->hertz);
	else
		tree->cpu_percent = -1;
	*next = (struct root_state){ tree->root, total->ticks, now, tree->cpu_percent };
}

/* What this call built replaces what the last one left: roots not listed
 * are forgotten.  The lists swap, so nothing is allocated per call. */
static void results_keep(struct sampler *sampler)
{
	struct state_list *next = &sampler->next_states;
	if (next->count > 1)
		qsort(next->items, next->count, sizeof *next->items, state_compare);
	struct state_list states = sampler->states;
	sampler->states = *next;
	*next = states;
	next->count = 0;

	struct member_list previous = sampler->previous;
	sampler->previous = sampler->members;
	sampler->members = previous;
	sampler->members.count = 0;
}

static void trees_mark_unknown(struct tree_usage *trees, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		trees[i].cpu_percent = -1;
		trees[i].rss_bytes = 0;
		trees[i].processes = 0;
	}
}

static void scratch_reserve(struct sampler *sampler, size_t n)
{
	xgrow(&sampler->totals, &sampler->totals_capacity, n, sizeof *sampler->totals);
	struct state_list *next = &sampler->next_states;
	xgrow(&next->items, &next->capacity, n, sizeof *next->items);
	if (n > 0)
		memset(sampler->totals, 0, n * sizeof *sampler->totals);
	next->count = 0;
	sampler->members.count = 0;
}

/* Fails only when libproc2 cannot read the members' numbers. */
static int trees_read(struct sampler *sampler, const struct tree_usage *trees, size_t n)
{
	scratch_reserve(sampler, n);
	for (size_t i = 0; i < n; i++)
		tree_collect(sampler, trees[i].root, i);
	struct member_list *members = &sampler->members;
	if (members->count > 1)
		qsort(members->items, members->count, sizeof *members->items, member_compare);
	return members_read(sampler, trees);
}

int sampler_update(struct sampler *sampler, struct tree_usage *trees, size_t n, double now)
{
	if (trees_read(sampler, trees, n) < 0) {
		/* The last states stay, as a baseline for the next call. */
		trees_mark_unknown(trees, n);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		tree_report(sampler, &trees[i], &sampler->totals[i], now);
	results_keep(sampler);
	return 0;
}

/* --- one tree, process by process ----------------------------------------- */

static int row_by_parent_compare(const void *a, const void *b)
{
	const struct process_row *left = a, *right = b;
	if (left->parent != right->parent)
		return left->parent < right->parent ? -1 : 1;
	if (left->pid != right->pid)
		return left->pid < right->pid ? -1 : 1;
	return 0;
}

static int row_by_pid_compare(const void *a, const void *b)
{
	const struct process_row *left = a, *right = b;
	return left->pid < right->pid ? -1 : left->pid > right->pid;
}

/* Index of the first row (sorted by parent) whose parent is `parent`. */
static size_t first_child(const struct process_row *sorted, size_t count, pid_t parent)
{
	size_t low = 0, high = count;
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		if (sorted[middle].parent < parent)
			low = middle + 1;
		else
			high = middle;
	}
	return low;
}

struct order_frame {
	pid_t pid;             /* whose children come next */
	size_t next;           /* the next candidate child, in the sorted rows */
	int depth;             /* the depth of those children */
};

size_t process_tree_order(struct process_row *rows, size_t count, pid_t root)
{
	if (count == 0)
		return 0;
	struct process_row *sorted = xmalloc(count * sizeof *sorted);
	memcpy(sorted, rows, count * sizeof *sorted);
	qsort(sorted, count, sizeof *sorted, row_by_parent_compare);
	bool *placed = xcalloc(count, sizeof *placed);
	struct order_frame *stack = xmalloc((count + 1) * sizeof *stack);
	size_t kept = 0, top = 0;
	for (size_t i = 0; i < count; i++) {
		if (sorted[i].pid == root) {
			rows[kept] = sorted[i];
			rows[kept++].depth = 0;
			placed[i] = true;
			stack[top++] = (struct order_frame){ root, first_child(sorted, count, root), 1 };
			break;
		}
	}
	/* Depth first; a pid placed once is never placed again, so a pid
	 * reused while the tree was read cannot make a loop. */
	while (top > 0) {
		struct order_frame *frame = &stack[top - 1];
		if (frame->next >= count || sorted[frame->next].parent != frame->pid) {
			top--;
			continue;
		}
		size_t i = frame->next++;
		if (placed[i])
			continue;
		placed[i] = true;
		rows[kept] = sorted[i];
		rows[kept++].depth = frame->depth;
		if (top <= count)
			stack[top++] = (struct order_frame){ sorted[i].pid,
							     first_child(sorted, count, sorted[i].pid),
							     frame->depth + 1 };
	}
	free(stack);
	free(placed);
	free(sorted);
	return kept;
}

bool process_tree_has(const struct process_tree *tree, pid_t pid)
{
	for (size_t i = 0; i < tree->count; i++)
		if (tree->rows[i].pid == pid)
			return true;
	return false;
}

void process_tree_free(struct process_tree *tree)
{
	free(tree->rows);
	free(tree->before);
	*tree = (struct process_tree){ 0 };
}

/* One process's row; its CPU% against the previous reading's row. */
static void process_row_fill(struct sampler *sampler, struct process_tree *tree,
			     struct pids_stack *stack, double now)
{
	struct pids_info *info = sampler->detail_info;
	(void)info; /* PIDS_VAL names it but does not use it */
	xgrow(&tree->rows, &tree->capacity, tree->count + 1, sizeof *tree->rows);
	struct process_row *row = &tree->rows[tree->count++];
	*row = (struct process_row){
		.pid = PIDS_VAL(DETAIL_PID, s_int, stack, info),
		.parent = PIDS_VAL(DETAIL_PARENT, s_int, stack, info),
		.state = PIDS_VAL(DETAIL_STATE, s_ch, stack, info),
		.ticks = PIDS_VAL(DETAIL_TICKS, ull_int, stack, info),
		.rss_bytes = PIDS_VAL(DETAIL_RSS, ul_int, stack, info) * (uint64_t)sampler->page_size,
		.cpu_percent = -1,
	};
	const char *command = PIDS_VAL(DETAIL_COMMAND, str, stack, info);
	const char *name = PIDS_VAL(DETAIL_NAME, str, stack, info);
	if (command && command[0] && strcmp(command, "-"))
		snprintf(row->command, sizeof row->command, "%s", command);
	else
		snprintf(row->command, sizeof row->command, "[%s]", name ? name : "?");
	struct process_row key = { .pid = row->pid };
	const struct process_row *before = tree->before_count && tree->root ?
		bsearch(&key, tree->before, tree->before_count, sizeof key, row_by_pid_compare) : NULL;
	double age = PIDS_VAL(DETAIL_ELAPSED, real, stack, info);
	if (before && now > tree->read_at)
		row->cpu_percent = sample_cpu_percent(before->ticks, row->ticks, now - tree->read_at,
						      sampler->hertz);
	else if (!before && age >= FIRST_SIGHTING_MIN_AGE)
		row->cpu_percent = sample_cpu_percent(0, row->ticks, age, sampler->hertz);
}

static int detail_chunk_read(struct sampler *sampler, int count, struct process_tree *tree,
			     double now)
{
	struct pids_fetch *fetch = procps_pids_select(sampler->detail_info, sampler->chunk, count,
						      PIDS_SELECT_PID);
	if (!fetch)
		return -1;
	for (int i = 0; i < fetch->counts->total; i++)
		process_row_fill(sampler, tree, fetch->stacks[i], now);
	return 0;
}

int sampler_tree_read(struct sampler *sampler, pid_t root, double now, struct process_tree *tree)
{
	/* The last reading becomes the baseline, sorted by pid for lookups;
	 * the baseline of another root is no baseline. */
	struct process_row *rows = tree->rows;
	size_t capacity = tree->capacity;
	tree->rows = tree->before;
	tree->capacity = tree->before_capacity;
	tree->before = rows;
	tree->before_capacity = capacity;
	tree->before_count = tree->root == root ? tree->count : 0;
	tree->count = 0;
	if (tree->before_count > 1)
		qsort(tree->before, tree->before_count, sizeof *tree->before, row_by_pid_compare);
	if (root <= 0)
		return -1;
	if (!sampler->detail_info) {
		int items = (int)(sizeof detail_items / sizeof detail_items[0]);
		if (procps_pids_new(&sampler->detail_info, detail_items, items) < 0) {
			sampler->detail_info = NULL;
			return -1;
		}
	}
	struct member_list *members = &sampler->detail_members;
	members->count = 0;
	member_add(members, root, 0);
	for (size_t next = 0; next < members->count && members->count < TREE_MEMBERS_MAX; next++)
		threads_children_add(sampler, members, members->items[next].pid, 0);
	if (members->count > 1)
		qsort(members->items, members->count, sizeof *members->items, member_compare);
	int count = 0;
	for (size_t i = 0; i < members->count; i++) {
		if (i > 0 && members->items[i - 1].pid == members->items[i].pid)
			continue;
		sampler->chunk[count++] = (unsigned)members->items[i].pid;
		if (count == SELECT_CHUNK) {
			if (detail_chunk_read(sampler, count, tree, now) < 0)
				break;
			count = 0;
		}
	}
	if (count > 0 && detail_chunk_read(sampler, count, tree, now) < 0) {
		tree->count = 0;
		tree->root = 0;
		return -1;
	}
	tree->count = process_tree_order(tree->rows, tree->count, root);
	tree->root = tree->count ? root : 0;
	tree->read_at = now;
	return tree->count ? 0 : -1;
}
