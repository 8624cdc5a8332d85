/* options_policies.c - the values of GNU parallel's policy options, read as
 * parallel 20221122 reads them: durations with s/m/h/d, --timeout N%,
 * --delay ...auto, --termseq, --halt WHEN,WHY=N[%] and the -j forms. */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A decimal integer in [min, max], the whole string (digits only). */
static int parse_count(const char *text, long min, long max, long *value)
{
	if (!text || !isdigit((unsigned char)*text))
		return -1;
	char *end;
	errno = 0;
	long n = strtol(text, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*value = n;
	return 0;
}

/* Digits with at most one dot ("2", "1.5", ".5"), up to the first other
 * character: no sign, exponent, hex or inf that strtod would take. */
static int parse_plain_number(const char *text, const char **end, double *value)
{
	size_t len = strspn(text, "0123456789.");
	const char *dot = memchr(text, '.', len);
	if (!len || (dot && memchr(dot + 1, '.', len - (size_t)(dot - text) - 1)) || (len == 1 && dot))
		return -1;
	char digits[64];
	if (len >= sizeof digits)
		return -1;
	memcpy(digits, text, len);
	digits[len] = '\0';
	*value = strtod(digits, NULL);
	*end = text + len;
	return 0;
}

int options_parse_duration(const char *text, double *seconds)
{
	if (!text || !*text)
		return -1;
	const char *at = text;
	double value, total = 0;
	if (!parse_plain_number(text, &at, &value) && !*at) {
		total = value;  /* a bare number is seconds */
	} else {
		/* Each number has its unit: 1h30m, 1d3.5h16.6m4s (parallel
		 * refuses 1h30 for --timeout). */
		for (at = text; *at;) {
			if (parse_plain_number(at, &at, &value))
				return -1;
			switch (tolower((unsigned char)*at)) {
			case 's': total += value; break;
			case 'm': total += value * 60; break;
			case 'h': total += value * 3600; break;
			case 'd': total += value * 86400; break;
			default: return -1;
			}
			at++;
		}
	}
	if (!isfinite(total) || total > 1e9)
		return -1;
	*seconds = total;
	return 0;
}

int options_parse_timeout(const char *text, double *seconds, double *percent)
{
	size_t len = text ? strlen(text) : 0;
	if (len > 1 && text[len - 1] == '%') {
		char digits[64];
		const char *end;
		double value;
		if (len - 1 >= sizeof digits)
			return -1;
		memcpy(digits, text, len - 1);
		digits[len - 1] = '\0';
		if (parse_plain_number(digits, &end, &value) || *end || value <= 0 || value > 1e9)
			return -1;
		*seconds = 0;
		*percent = value;
		return 0;
	}
	if (options_parse_duration(text, seconds))
		return -1;
	*percent = 0;
	return 0;
}

int options_parse_delay(const char *text, double *seconds, bool *adjust)
{
	size_t len = text ? strlen(text) : 0;
	*adjust = len >= 4 && !strcmp(text + len - 4, "auto");
	if (!*adjust)
		return options_parse_duration(text, seconds);
	if (len == 4) {
		*seconds = 0;  /* as parallel: a delay of 0 stays 0 */
		return 0;
	}
	char duration[64];
	if (len - 4 >= sizeof duration)
		return -1;
	memcpy(duration, text, len - 4);
	duration[len - 4] = '\0';
	return options_parse_duration(duration, seconds);
}

/* A signal by name (TERM, SIGTERM, term) or by number. */
static int parse_signal(const char *text, size_t len)
{
	char name[32];
	if (!len || len >= sizeof name)
		return -1;
	memcpy(name, text, len);
	name[len] = '\0';
	long number;
	if (!parse_count(name, 1, NSIG - 1, &number))
		return (int)number;
	const char *bare = strncasecmp(name, "SIG", 3) ? name : name + 3;
	for (int signo = 1; signo < NSIG; signo++) {
		const char *abbrev = sigabbrev_np(signo);
		if (abbrev && !strcasecmp(abbrev, bare))
			return signo;
	}
	return -1;
}

int options_parse_termseq(const char *text, struct pool_term_step *steps, int *count)
{
	int n = 0;
	const char *at = text;
	if (!text || !*text)
		return -1;
	while (*at) {
		if (n == POOL_TERM_STEPS)
			return -1;
		const char *comma = strchrnul(at, ',');
		int signo = parse_signal(at, (size_t)(comma - at));
		if (signo < 0)
			return -1;
		double wait = 0;
		at = *comma ? comma + 1 : comma;
		if (*comma) {
			const char *end;
			/* The wait in milliseconds; the last one may be left out. */
			if (parse_plain_number(at, &end, &wait) || (*end && *end != ',') || wait > 1e9)
				return -1;
			at = *end ? end + 1 : end;
			if (*end && !*at)
				return -1;  /* a trailing comma */
		}
		steps[n].signo = signo;
		steps[n].wait = wait / 1000;
		n++;
	}
	*count = n;
	return 0;
}

int options_parse_halt(const char *text, struct pool_config *config)
{
	long n;
	if (!strcmp(text, "never") || !strcmp(text, "0")) {
		config->halt = HALT_NEVER;
		return 0;
	}
	/* GNU parallel's old numeric forms: 1 = soon,fail=1, 2 = now,fail=1,
	 * -1 = soon,success=1, -2 = now,success=1, N% = soon,fail=N%. */
	static const char *const old_forms[][2] = {
		{ "1", "soon,fail=1" }, { "2", "now,fail=1" },
		{ "-1", "soon,success=1" }, { "-2", "now,success=1" },
	};
	for (size_t i = 0; i < sizeof old_forms / sizeof old_forms[0]; i++)
		if (!strcmp(text, old_forms[i][0]))
			return options_parse_halt(old_forms[i][1], config);
	char expanded[64];
	if (isdigit((unsigned char)*text) && strlen(text) < 32 && text[strlen(text) - 1] == '%') {
		snprintf(expanded, sizeof expanded, "soon,fail=%s", text);
		text = expanded;
	}
	const char *comma = strchr(text, ',');
	if (!comma)
		return -1;
	size_t when_len = (size_t)(comma - text);
	enum halt_mode when;
	if (when_len == 3 && !strncmp(text, "now", 3))
		when = HALT_NOW;
	else if (when_len == 4 && !strncmp(text, "soon", 4))
		when = HALT_SOON;
	else
		return -1;
	const char *why = comma + 1;
	const char *equals = strchr(why, '=');
	if (!equals)
		return -1;
	char value[32];
	size_t value_len = strlen(equals + 1);
	if (!value_len || value_len >= sizeof value)
		return -1;
	memcpy(value, equals + 1, value_len + 1);
	bool percent = value[value_len - 1] == '%';
	if (percent)
		value[--value_len] = '\0';
	if (parse_count(value, 1, percent ? 100 : INT_MAX, &n))
		return -1;
	size_t why_len = (size_t)(equals - why);
	int *target;
	if (why_len == 4 && !strncmp(why, "fail", 4))
		target = &config->halt_fail;
	else if (why_len == 7 && !strncmp(why, "success", 7))
		target = &config->halt_success;
	else if (why_len == 4 && !strncmp(why, "done", 4))
		target = &config->halt_done;
	else
		return -1;
	config->halt = when;
	config->halt_fail = config->halt_success = config->halt_done = 0;
	*target = (int)n;
	config->halt_percent = percent;
	return 0;
}

/* Clamp a computed count to 1..POOL_MAX_JOBS, as parallel uses 1 below 1. */
static int clamp_jobs(double count)
{
	if (count < 1)
		return 1;
	return count > POOL_MAX_JOBS ? POOL_MAX_JOBS : (int)count;
}

int options_parse_jobs(const char *text, int cpus, int *jobs)
{
	if (!text || !*text)
		return -1;
	size_t len = strlen(text);
	long n;
	if (text[len - 1] == '%') {
		/* parallel: ceil(cpus * N / 100), N may have decimals (10.5%). */
		char digits[32];
		const char *end;
		double value;
		if (len - 1 >= sizeof digits)
			return -1;
		memcpy(digits, text, len - 1);
		digits[len - 1] = '\0';
		if (parse_plain_number(digits, &end, &value) || *end || digits[0] == '.' || value <= 0 ||
		    value > 100000)
			return -1;
		*jobs = clamp_jobs(ceil(cpus * value / 100 - 1e-9));
		return 0;
	}
	if (text[0] == '+' || text[0] == '-') {
		if (parse_count(text + 1, 0, POOL_MAX_JOBS, &n))
			return -1;
		*jobs = clamp_jobs(text[0] == '+' ? cpus + n : cpus - n);
		return 0;
	}
	if (parse_count(text, 1, POOL_MAX_JOBS, &n))
		return -1;
	*jobs = (int)n;
	return 0;
}
