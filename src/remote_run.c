/* remote_run.c - the wiring of a run over hosts (see remote_run.h): the
 * host table, the pool of remote slots, the remote figures, the files
 * around jobs and the login file. */
#include "remote_run.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpu_account.h"
#include "remote.h"
#include "remote_files.h"
#include "remote_sample.h"
#include "slf.h"
#include "xalloc.h"

struct remote_run {
	struct hosts *hosts;
	struct pool *pool;
	struct remote_figures *figures;  /* remote jobs' CPU and memory, for the views */
	struct remote_files *files;      /* --workdir, --transferfile..., or NULL */
	struct slf *slf;                 /* --slf, or NULL */
	struct loop *loop;
};

struct remote_run *remote_run_open(const struct options *options, struct loop *loop, struct items *items,
				   const struct pool_events *events, char *error, size_t size)
{
	struct remote_run *run = xcalloc(1, sizeof *run);
	run->loop = loop;
	run->hosts = hosts_new(options->ssh_command);
	int default_slots = options->jobs_given ? options->pool.jobs : 0;
	for (int i = 0; i < options->sshlogin_count; i++) {
		if (hosts_add_list(run->hosts, options->sshlogins[i], default_slots, error, size)) {
			remote_run_free(run);
			return NULL;
		}
	}
	if (options->sshlogin_file) {
		run->slf = slf_open(options->sshlogin_file, error, size);
		for (size_t i = 0; run->slf && i < slf_count(run->slf); i++) {
			if (hosts_add_list(run->hosts, slf_login(run->slf, i), default_slots, error, size)) {
				remote_run_free(run);
				return NULL;
			}
		}
		if (!run->slf || !hosts_count(run->hosts)) {
			if (run->slf)
				snprintf(error, size, "no login in '%s' (one [N/]LOGIN per line)", options->sshlogin_file);
			remote_run_free(run);
			return NULL;
		}
	}
	struct remote_files_config files = {
		.transfer = options->transfer_files, .transfer_count = options->transfer_count,
		.returns = options->return_files, .return_count = options->return_count,
		.basefiles = options->basefiles, .basefile_count = options->basefile_count,
		.workdir = options->workdir, .cleanup = options->cleanup,
	};
	bool failed;
	run->files = remote_files_new(&files, &failed, error, size);
	if (failed) {
		remote_run_free(run);
		return NULL;
	}
	run->pool = remote_pool_new(&options->pool, loop, items, events, run->hosts, options->shell);
	if (!run->pool) {
		snprintf(error, size, "cannot start the pool");
		remote_run_free(run);
		return NULL;
	}
	remote_pool_set_files(run->pool, run->files);
	run->figures = remote_figures_new(loop, remote_figures_hosts_argv, run->hosts);
	cpu_account_set_remote(run->figures);
	return run;
}

struct pool *remote_run_pool(const struct remote_run *run)
{
	return run->pool;
}

struct hosts *remote_run_hosts(const struct remote_run *run)
{
	return run->hosts;
}

int remote_run_connect(struct remote_run *run, char *error, size_t size)
{
	if (remote_pool_connect(run->pool, error, size))
		return -1;
	if (run->slf)
		slf_watch(run->slf, run->loop, run->pool);
	return 0;
}

void remote_run_close(struct remote_run *run)
{
	if (!run)
		return;
	remote_files_finish(run->files);
	hosts_close(run->hosts);
}

void remote_run_free(struct remote_run *run)
{
	if (!run)
		return;
	slf_free(run->slf);
	cpu_account_set_remote(NULL);
	remote_figures_free(run->figures);
	remote_files_free(run->files);
	hosts_free(run->hosts);
	free(run);
}
