/* check_hosts.c - unit tests of the host table of -S/--sshlogin: GNU
 * parallel's login syntax, slot counts, and the ssh command lines; and of
 * the remote wrapper's quoting, run through a local sh. */
#include "hosts.h"
#include "remote.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char error[256];

static struct hosts *parsed(const char *list, int default_slots)
{
	struct hosts *hosts = hosts_new(NULL);
	ck_assert_msg(hosts_add_list(hosts, list, default_slots, error, sizeof error) == 0, "%s", error);
	return hosts;
}

static int argv_count(char **argv)
{
	int n = 0;
	while (argv[n])
		n++;
	return n;
}

START_TEST(logins_are_split_at_commas)
{
	struct hosts *hosts = parsed("a, 2/user@b ,:", 0);
	ck_assert_int_eq(hosts_count(hosts), 3);
	ck_assert_str_eq(hosts_at(hosts, 0)->login, "a");
	ck_assert_str_eq(hosts_at(hosts, 1)->login, "user@b");
	ck_assert_int_eq(hosts_at(hosts, 1)->slots_given, 2);
	ck_assert_str_eq(hosts_at(hosts, 1)->destination, "user@b");
	ck_assert(hosts_at(hosts, 2)->local);
	ck_assert(!hosts_at(hosts, 0)->local);
	hosts_free(hosts);
}
END_TEST

START_TEST(a_login_may_bring_its_own_ssh_command)
{
	struct hosts *hosts = parsed("4/ssh -p 2222 server,//usr/bin/myssh -l me h", 0);
	struct host *first = hosts_at(hosts, 0), *second = hosts_at(hosts, 1);
	ck_assert_int_eq(first->slots_given, 4);
	ck_assert_str_eq(first->login, "ssh -p 2222 server");
	ck_assert_str_eq(first->destination, "server");
	ck_assert_str_eq(first->ssh_words[0], "ssh");
	ck_assert_str_eq(first->ssh_words[2], "2222");
	ck_assert_int_eq(second->slots_given, 0);
	ck_assert_str_eq(second->ssh_words[0], "/usr/bin/myssh");
	ck_assert_str_eq(second->destination, "h");
	hosts_free(hosts);
}
END_TEST

START_TEST(doubled_commas_are_part_of_a_login)
{
	struct hosts *hosts = parsed("ssh -o Ciphers=a,,b h,x\\,y", 0);
	ck_assert_int_eq(hosts_count(hosts), 2);
	ck_assert_str_eq(hosts_at(hosts, 0)->login, "ssh -o Ciphers=a,b h");
	ck_assert_str_eq(hosts_at(hosts, 1)->login, "x,y");
	hosts_free(hosts);
}
END_TEST

START_TEST(a_login_given_twice_is_kept_once)
{
	struct hosts *hosts = parsed("a,b", 0);
	ck_assert_int_eq(hosts_add_list(hosts, "3/a", 0, error, sizeof error), 0);
	ck_assert_int_eq(hosts_count(hosts), 2);
	ck_assert_int_eq(hosts_at(hosts, 0)->slots_given, 3);
	hosts_free(hosts);
}
END_TEST

START_TEST(bad_logins_are_refused_with_a_message)
{
	const char *bad[] = { "", "a,,,", "b,", "0/a", "99999/a", "@group/a", "2/", " " };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct hosts *hosts = hosts_new(NULL);
		error[0] = '\0';
		ck_assert_msg(hosts_add_list(hosts, bad[i], 0, error, sizeof error) == -1, "'%s' accepted", bad[i]);
		ck_assert_msg(strstr(error, "--sshlogin"), "'%s': %s", bad[i], error);
		hosts_free(hosts);
	}
}
END_TEST

START_TEST(slot_counts_come_from_n_then_j_then_cpus)
{
	struct hosts *hosts = parsed("3/a,b", 0);
	struct host *a = hosts_at(hosts, 0), *b = hosts_at(hosts, 1);
	ck_assert_int_eq(host_slot_limit(hosts, a), 3);
	ck_assert_int_eq(host_slot_limit(hosts, b), 0);  /* not known yet */
	b->cpus = 4;
	ck_assert_int_eq(host_slot_limit(hosts, b), 4);
	b->cpus = 64;  /* one connection's sessions bound it */
	ck_assert_int_eq(host_slot_limit(hosts, b), HOSTS_SESSIONS_PER_CONNECTION);
	b->session_limit = 2;
	ck_assert_int_eq(host_slot_limit(hosts, b), 2);
	hosts_free(hosts);
	hosts = parsed("a", 5);
	ck_assert_int_eq(host_slot_limit(hosts, hosts_at(hosts, 0)), 5);
	hosts_free(hosts);
}
END_TEST

START_TEST(the_ssh_argv_keeps_batch_mode_and_the_login_options_after_ours)
{
	struct hosts *hosts = hosts_new("ssh -F cfg");
	ck_assert_int_eq(hosts_add_list(hosts, "h,myssh -p 22 u@g", 0, error, sizeof error), 0);
	char **argv = hosts_ssh_argv(hosts, hosts_at(hosts, 0), false, "echo hi");
	int n = argv_count(argv);
	ck_assert_str_eq(argv[0], "ssh");
	ck_assert_str_eq(argv[n - 2], "h");
	ck_assert_str_eq(argv[n - 1], "echo hi");
	bool batch = false, config = false;
	for (int i = 1; i < n; i++) {
		batch |= !strcmp(argv[i], "BatchMode=yes");
		config |= !strcmp(argv[i], "cfg") && !strcmp(argv[i - 1], "-F");
	}
	ck_assert(batch && config);
	free(argv);
	argv = hosts_ssh_argv(hosts, hosts_at(hosts, 1), true, "x");
	n = argv_count(argv);
	ck_assert_str_eq(argv[0], "myssh");
	ck_assert_str_eq(argv[n - 4], "-p");
	ck_assert_str_eq(argv[n - 2], "u@g");
	bool master = false;
	for (int i = 1; i < n; i++)
		master |= !strcmp(argv[i], "ControlMaster=yes");
	ck_assert(master);
	free(argv);
	hosts_free(hosts);
}
END_TEST

/* The wrapper run by a local sh as the login shell would, its stdin a
 * pipe held open (as the session's is): the job's stdout in out, stderr in
 * err (markers included), the wrapper's wait status returned. */
static int run_wrapper(char *const *argv, bool shell_script, char *out, char *err, size_t size)
{
	char *wrapper = remote_wrapper(argv, shell_script, 1);
	int in[2], output[2], errors[2];
	ck_assert_int_eq(pipe(in), 0);
	ck_assert_int_eq(pipe(output), 0);
	ck_assert_int_eq(pipe(errors), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(output[1], 1);
		dup2(errors[1], 2);
		for (int fd = 3; fd < 64; fd++)
			close(fd);
		setenv("SHELL", "/bin/sh", 1);
		execl("/bin/sh", "sh", "-c", wrapper, (char *)NULL);
		_exit(127);
	}
	free(wrapper);
	close(in[0]);
	close(output[1]);
	close(errors[1]);
	size_t n = 0;
	ssize_t got;
	while (n < size - 1 && (got = read(output[0], out + n, size - 1 - n)) > 0)
		n += (size_t)got;
	out[n] = '\0';
	n = 0;
	while (n < size - 1 && (got = read(errors[0], err + n, size - 1 - n)) > 0)
		n += (size_t)got;
	err[n] = '\0';
	int status;
	waitpid(pid, &status, 0);
	close(in[1]);
	close(output[0]);
	close(errors[0]);
	return status;
}

START_TEST(the_wrapper_runs_argv_as_given)
{
	char w0[] = "echo", w1[] = "a b", w2[] = "c'd", w3[] = "$HOME", w4[] = "*";
	char *argv[] = { w0, w1, w2, w3, w4, NULL };
	char out[512], err[512];
	int status = run_wrapper(argv, false, out, err, sizeof out);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_str_eq(out, "a b c'd $HOME *\n");
	ck_assert_msg(!strncmp(err, "\036pooltop-pid ", 13), "%s", err);
	ck_assert_msg(strstr(err, "\036pooltop-exit 0 "), "%s", err);
	/* then `times`: the shell's own CPU and its reaped children's */
	ck_assert_msg(strstr(err, "m") && strstr(err, "s\n"), "%s", err);
}
END_TEST

START_TEST(the_wrapper_hands_a_script_to_the_login_shell)
{
	char w0[] = "sh", w1[] = "-c", w2[] = "echo $# $((2 * 3)); echo oops >&2; exit 7";
	char *argv[] = { w0, w1, w2, NULL };
	char out[512], err[512];
	int status = run_wrapper(argv, true, out, err, sizeof out);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	ck_assert_str_eq(out, "0 6\n");
	ck_assert_msg(strstr(err, "\noops\n\036pooltop-exit 7 "), "%s", err);
}
END_TEST

static Suite *hosts_suite(void)
{
	Suite *suite = suite_create("hosts");
	TCase *logins = tcase_create("logins");
	tcase_add_test(logins, logins_are_split_at_commas);
	tcase_add_test(logins, a_login_may_bring_its_own_ssh_command);
	tcase_add_test(logins, doubled_commas_are_part_of_a_login);
	tcase_add_test(logins, a_login_given_twice_is_kept_once);
	tcase_add_test(logins, bad_logins_are_refused_with_a_message);
	tcase_add_test(logins, slot_counts_come_from_n_then_j_then_cpus);
	tcase_add_test(logins, the_ssh_argv_keeps_batch_mode_and_the_login_options_after_ours);
	suite_add_tcase(suite, logins);
	TCase *wrapper = tcase_create("wrapper");
	tcase_add_test(wrapper, the_wrapper_runs_argv_as_given);
	tcase_add_test(wrapper, the_wrapper_hands_a_script_to_the_login_shell);
	suite_add_tcase(suite, wrapper);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(hosts_suite());
	srunner_run_all(runner, CK_ENV);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
