#!/bin/bash
# tests/cli/faults_signals.sh - signals and limits as the caller set them,
# a control socket that cannot be tied up, and no job tree left behind:
# nohup's ignored SIGHUP, SIGHUP and SIGQUIT ending a run, the job's view of
# its limits and signals, a busy listener at --control, idle clients, a low
# open-file limit, and kill -9 of pooltop.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_command perl

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

make_hold_job hold.sh

# A job whose own child outlives it: the child's pid goes to child.ITEM.
cat > tree.sh << 'EOF'
#!/bin/sh
sleep 300 &
echo $! > "child.$1"
echo $$ > "pid.$1"
touch "started.$1"
sleep 300
EOF
chmod +x tree.sh

# A client of the control socket: `peers.pl PATH N hold` connects N
# clients, says "connected N" and holds them until standard input ends;
# `peers.pl PATH N fate SECONDS` connects N clients, sends nothing, and
# says how each connection ended within SECONDS: refused (told "too
# many"), idle (closed for idleness), closed (without a word) or open.
cat > peers.pl << 'EOF'
use strict;
use warnings;
use IO::Select;
use IO::Socket::UNIX;
my ($path, $count, $mode, $seconds) = @ARGV;
my @peers;
for (1 .. $count) {
	my $peer = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path) or last;
	push @peers, $peer;
}
$| = 1;
if ($mode eq 'hold') {
	print "connected ", scalar(@peers), "\n";
	1 while <STDIN>;
	exit 0;
}
my %said = map { $_ => '' } @peers;
my %fate;
my $select = IO::Select->new(@peers);
my $deadline = time + $seconds;
while ($select->count && time < $deadline) {
	for my $peer ($select->can_read(0.2)) {
		my $n = sysread($peer, my $data, 4096);
		if ($n) {
			$said{$peer} .= $data;
			next;
		}
		$fate{$peer} = $said{$peer} =~ /too many/ ? 'refused'
			     : $said{$peer} =~ /idle/ ? 'idle' : 'closed';
		$select->remove($peer);
	}
}
my %count = (refused => 0, idle => 0, closed => 0, open => 0);
$count{ $fate{$_} // 'open' }++ for @peers;
print join(' ', map { "$_=$count{$_}" } qw(refused idle closed open)), "\n";
EOF

# A listener that never accepts: its backlog is full, so a blocking
# connect to it would wait for ever.  Holds until standard input ends.
cat > busy.pl << 'EOF'
use strict;
use warnings;
use IO::Socket::UNIX;
my $path = shift;
my $listener = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $path, Listen => 0)
	or die "listen: $!";
my @queued;
for (1 .. 16) {
	my $peer = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path, Blocking => 0) or last;
	push @queued, $peer;
}
$| = 1;
print "ready\n";
1 while <STDIN>;
EOF

# start_pool ARG...: pooltop in the background, its pid in $pool_pid,
# output in pool.out / pool.err.
start_pool() {
	rm -f go started.* pid.* child.* pool.out pool.err
	"$@" < /dev/null > pool.out 2> pool.err &
	pool_pid=$!
}

all_started() {
	local item
	for item in "$@"; do
		[ -e "started.$item" ] || return 1
	done
}

# pids_gone FILE...: none of the pids written in FILEs still runs (a
# zombie waiting for whoever adopted it counts as gone).
pids_gone() {
	local file
	for file in "$@"; do
		has_exited "$(cat "$file")" || return 1
	done
	return 0
}

has_line() { grep -q "$1" "$2" 2> /dev/null; }

# ctl_field NAME: a number from the status reply of the pool at $sock.
ctl_field() {
	"$POOLTOP" ctl "$sock" status | status_field "$1"
}

# --- an ignored SIGHUP stays ignored (nohup) ------------------------------------

start_pool env --ignore-signal=HUP "$POOLTOP" --batch -j 2 ./hold.sh ::: a b c d
wait_for 20 all_started a b
ok $? "with SIGHUP ignored, as nohup leaves it, two jobs are running"
kill -HUP "$pool_pid"
touch go
wait_exit "$pool_pid" 30
is "$status" 0 "SIGHUP is ignored: the run goes on and exits with status 0"
is "$(sort pool.out | tr '\n' ' ')" "finished a finished b finished c finished d " \
	"every item ran, also the ones started after the SIGHUP"

# --- SIGHUP ends the run with 129 -------------------------------------------------

start_pool "$POOLTOP" --batch -j 2 ./hold.sh ::: a b c d
wait_for 20 all_started a b
kill -HUP "$pool_pid"
wait_for 20 has_line stopping pool.err
ok $? "SIGHUP: pooltop says it is stopping and lets the jobs finish"
touch go
wait_exit "$pool_pid" 20
is "$status" 129 "SIGHUP ends the run with status 129 (128 + 1), as a shell reports it"
is "$(sort pool.out | tr '\n' ' ')" "finished a finished b " "the running jobs' output appears"

# --- SIGQUIT stops the run in order, in batch mode too ---------------------------

sock=$TEST_DIR/quit.sock
start_pool env --default-signal=QUIT "$POOLTOP" --batch -j 3 --control="$sock" \
	--shell 'if [ {} = early ]; then echo early output; else ./tree.sh {}; fi' ::: early a b
wait_for 20 all_started a b
wait_for 10 has_line 'early output' pool.out
kill -QUIT "$pool_pid"
wait_exit "$pool_pid" 20
is "$status" 131 "SIGQUIT ends the run with status 131 (128 + 3)"
ok '[ ! -e "$sock" ]' "SIGQUIT: the control socket is removed"
wait_for 5 pids_gone pid.a pid.b child.a child.b
ok $? "SIGQUIT: the jobs and their children are stopped"
is "$(cat pool.out)" "early output" "the output of the job that had ended is written once"

# --- the job gets the caller's limits and signal dispositions ----------------------

run bash -c 'ulimit -S -n 256; exec "$POOLTOP" --batch -- sh -c "ulimit -n" ::: x'
is "$output" 256 "a job gets the caller's soft open-file limit, not the one pooltop raised"

# SigIgn bits: SIGUSR1 is 10 (0x200), SIGCHLD is 17 (0x10000).
sig_ignored() {         # sig_ignored SIGNUM: is it in the job's SigIgn mask?
	local mask
	mask=$(sed -n 's/^SigIgn:[[:space:]]*//p' job.status)
	[ -n "$mask" ] && (( (0x$mask >> ($1 - 1)) & 1 ))
}

sock=$TEST_DIR/usr1.sock
start_pool env --ignore-signal=USR1 "$POOLTOP" --batch -j 1 --control="$sock" \
	--shell 'cat /proc/self/status > job.status; ./hold.sh {}' ::: a b
wait_for 20 all_started a
kill -USR1 "$pool_pid"
ctl_field target > /dev/null
is "$(ctl_field target)" 1 "an ignored SIGUSR1 stays ignored: no worker is added"
ok 'sig_ignored 10' "and the job sees SIGUSR1 ignored"
touch go
wait_exit "$pool_pid" 20
is "$status" 0 "the run ends normally"

# No shell in between: sh takes SIGCHLD back for itself.
run timeout -k 2 20 env --ignore-signal=CHLD "$POOLTOP" --batch -- grep -h SigIgn /proc/self/status ::: /dev/null
echo "$output" > job.status
is "$status" 0 "with SIGCHLD ignored by the caller, the run still sees its job end"
ok 'sig_ignored 17' "and the job gets SIGCHLD ignored, as its caller set it"

# --- a busy listener at --control ------------------------------------------------

sock=$TEST_DIR/busy.sock
mkfifo busy.in
perl busy.pl "$sock" < busy.in > busy.out 2> busy.err &
busy_pid=$!
exec 7> busy.in
wait_for 10 has_line ready busy.out
ok $? "a listener that never accepts holds $sock"
started=$(now_ms)
start_pool "$POOLTOP" --batch --control="$sock" echo ::: a
wait_exit "$pool_pid" 10
elapsed=$(( $(now_ms) - started ))
is "$status" 255 "pooltop refuses a --control path a busy listener holds (status 255)"
like "$(cat pool.err)" "in use" "and says the path is in use"
ok '[ "$elapsed" -lt 5000 ]' "start-up does not wait on the busy listener ($elapsed ms)"
# pooltop ctl waits for a busy pool a while (10 s), not for ever.
start_pool "$POOLTOP" ctl "$sock" status
wait_exit "$pool_pid" 20
is "$status" 255 "pooltop ctl gives up on a listener that accepts nothing (status 255)"
like "$(cat pool.err)" "busy" "and says it is busy"
exec 7>&-
wait "$busy_pid"

# --- idle control clients: capped, and closed after a while ------------------------

sock=$TEST_DIR/idle.sock
start_pool env POOLTOP_CONTROL_IDLE_SECONDS=1 "$POOLTOP" --batch -j 1 --control="$sock" ./hold.sh ::: a
wait_for 20 all_started a
fate=$(perl peers.pl "$sock" 70 fate 15)
is "$fate" "refused=6 idle=64 closed=0 open=0" \
	"of 70 idle clients, 64 are served and closed after the idle time; the others are refused"
is "$("$POOLTOP" ctl "$sock" status | cut -c1-2)" ok "the socket serves a new client afterwards"
touch go
wait_exit "$pool_pid" 20
is "$status" 0 "the run ends normally"

# --- a low open-file limit: clients never starve the jobs, nor spin the loop -------

# Ticks of CPU (user + system) a process used so far.
cpu_ticks() {
	local stat fields
	read -r stat < "/proc/$1/stat" || return 1
	read -r -a fields <<< "${stat##*) }"
	echo $((fields[11] + fields[12]))
}

sock=$TEST_DIR/low.sock
start_pool bash -c 'ulimit -n 64; exec "$0" "$@"' "$POOLTOP" --batch -j 4 --control="$sock" \
	--shell 'if [ {} -le 4 ]; then ./hold.sh {}; else echo item {}; fi' ::: $(seq 1 40)
wait_for 20 all_started 1 2 3 4
mkfifo peers.in
perl peers.pl "$sock" 80 hold < peers.in > peers.out &
peers_pid=$!
exec 8> peers.in
wait_for 10 has_line connected peers.out
ok $? "80 clients connect to a pool limited to 64 open files"
before=$(cpu_ticks "$pool_pid")
sleep 2   # a window to measure CPU in, not a synchronisation
after=$(cpu_ticks "$pool_pid")
ok '[ $((after - before)) -lt 5 ]' "pooltop does not spin while they stay ($((after - before)) ticks in 2 s)"
touch go
wait_exit "$pool_pid" 30
is "$status" 0 "every job ran: none failed for want of a descriptor"
is "$(grep -c '^item ' pool.out)" 36 "and every one of them wrote its output"
unlike "$(cat pool.err)" "open files" "no job met 'Too many open files'"
exec 8>&-
wait "$peers_pid"

# --- out of fds all the same: accepting waits, and starts again ----------------------

# The lowest fd number a process has free: the next one it would get.
lowest_free_fd() {
	local fd=0
	while [ -e "/proc/$1/fd/$fd" ]; do
		fd=$((fd + 1))
	done
	echo "$fd"
}

if command -v prlimit > /dev/null; then
	sock=$TEST_DIR/emfile.sock
	start_pool "$POOLTOP" --batch -j 2 --control="$sock" --log="$TEST_DIR/emfile.log" ./hold.sh ::: a b
	wait_for 20 all_started a b
	"$POOLTOP" ctl "$sock" status > /dev/null
	# No fd left to pooltop: the next connection cannot be accepted.
	prlimit --pid "$pool_pid" --nofile="$(lowest_free_fd "$pool_pid"):"
	rm -f peers.out
	perl peers.pl "$sock" 8 hold < peers.in > peers.out &
	peers_pid=$!
	exec 8> peers.in
	wait_for 10 has_line connected peers.out
	wait_for 10 has_line 'cannot accept' "$TEST_DIR/emfile.log"
	ok $? "out of fds, pooltop stops accepting and says so in its log"
	before=$(cpu_ticks "$pool_pid")
	sleep 2   # a window to measure CPU in, not a synchronisation
	after=$(cpu_ticks "$pool_pid")
	ok '[ $((after - before)) -lt 5 ]' "it does not spin meanwhile ($((after - before)) ticks in 2 s)"
	prlimit --pid "$pool_pid" --nofile=1024:
	wait_for 10 eval '"$POOLTOP" ctl "$sock" status > /dev/null'
	ok $? "once fds are free again, it accepts again"
	exec 8>&-
	wait "$peers_pid"
	touch go
	wait_exit "$pool_pid" 20
	is "$status" 0 "the run ends normally"
else
	skip "prlimit is not installed (Debian package util-linux)" 4
fi

# --- kill -9 of pooltop: no job's tree keeps running -------------------------------

start_pool "$POOLTOP" --batch -j 2 ./tree.sh ::: a b
disown "$pool_pid"  # no "Killed" notice from the shell
wait_for 20 all_started a b
ok '! pids_gone child.a child.b' "two jobs run, each with a child of its own"
kill -KILL "$pool_pid"
started=$(now_ms)
wait_for 10 pids_gone pid.a pid.b child.a child.b
ok $? "after kill -9 of pooltop, no process of the jobs' trees is left"
elapsed=$(( $(now_ms) - started ))
ok '[ "$elapsed" -lt 2000 ]' "they were gone within a second or so ($elapsed ms)"
for file in child.a child.b; do
	kill -KILL "$(cat "$file")" 2> /dev/null
done

done_testing
