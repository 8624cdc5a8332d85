/* dryrun.h - a job's command line as GNU parallel prints it (--dry-run,
 * -t): the words shell-quoted as it quotes them, or a shell job's script. */
#ifndef POOLTOP_DRYRUN_H
#define POOLTOP_DRYRUN_H

/* The line, newline included; malloc'd. */
char *dryrun_command_line(char *const *argv);

#endif
