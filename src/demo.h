/* demo.h - `pooltop --demo`, the seed workload: items 0..9 on 3
 * long-lived workers built into pooltop, each taking 1 s to return x*x,
 * reported like the Python program the project started from. */
#ifndef POOLTOP_DEMO_H
#define POOLTOP_DEMO_H

#include "output.h"
#include "pool.h"

/* The hidden argument that makes pooltop act as the demo worker. */
#define DEMO_WORKER_FLAG "--demo-worker"

/* The worker: reads one number per line, sleeps a second, writes its
 * square.  Returns the process exit status. */
int demo_worker_main(void);
/* The argv that starts a demo worker (this same binary). */
char *const *demo_worker_argv(void);

struct demo;
struct demo *demo_new(struct output *output);
/* One line per item as it completes: the PID that ran it and the result. */
void demo_result(struct demo *demo, const struct pool_result *result);
/* The results in input order, as Pool.map returns them, and the time taken. */
void demo_finish(struct demo *demo, double elapsed);
void demo_free(struct demo *demo);

#endif
