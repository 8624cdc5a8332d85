# tests/sshd_lib.sh - a private OpenSSH server for the remote tests, sourced
# after tests/lib.sh: generated keys, its own sshd_config and ssh_config in
# the test's temp dir, a loopback port of its own; the system's sshd,
# /etc/ssh and ~/.ssh are never read or changed.
#
#   . "$top_srcdir/tests/lib.sh"
#   . "$top_srcdir/tests/sshd_lib.sh"
#   sshd_start                       # testhost: 127.0.0.1 on a free port
#   "$POOLTOP" --batch --ssh "$SSH" -S testhost ...
#
# Host names the ssh_config knows:
#   testhost, testhost2...  each server sshd_start started (sshd_start NAME)
#   nokeyhost               testhost's server, as a user without a key:
#                           authentication needs a password, which BatchMode
#                           refuses
# $SSH is the ssh command line for --ssh (pooltop and GNU parallel alike).

SSHD_PROG=${SSHD_PROG:-/usr/sbin/sshd}
SSHD_DIR=$TEST_DIR/sshd
SSH="ssh -F $SSHD_DIR/ssh_config"
export SSH SSHD_DIR

[ -x "$SSHD_PROG" ] || skip_all "$SSHD_PROG is missing (Debian package openssh-server)"
command -v ssh > /dev/null 2>&1 || skip_all "ssh is not installed (Debian package openssh-client)"
command -v ssh-keygen > /dev/null 2>&1 || skip_all "ssh-keygen is not installed (openssh-client)"

declare -A sshd_pid=()    # server name -> the listening sshd's pid
declare -A sshd_port=()   # server name -> its port

# _sshd_keys: host and client keys, generated once per test file.
_sshd_keys() {
	[ -f "$SSHD_DIR/client_key" ] && return 0
	mkdir -p "$SSHD_DIR" && chmod 700 "$SSHD_DIR" || return 1
	ssh-keygen -q -t ed25519 -N '' -f "$SSHD_DIR/host_key" -C pooltop-test-host < /dev/null &&
		ssh-keygen -q -t ed25519 -N '' -f "$SSHD_DIR/client_key" -C pooltop-test-client < /dev/null ||
		return 1
	# Only this user's file exists: any other login (nokeyhost) finds no key.
	cp "$SSHD_DIR/client_key.pub" "$SSHD_DIR/authorized_keys_$(id -un)"
	: > "$SSHD_DIR/known_hosts"
	: > "$SSHD_DIR/ssh_config"
}

# _free_port: a TCP port nobody listens on at 127.0.0.1 (sshd_start tries
# again with another when a race took it meanwhile).
_free_port() {
	local port
	for _ in $(seq 1 50); do
		port=$((20000 + RANDOM % 30000))
		(exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null || { echo "$port"; return 0; }
	done
	return 1
}

_sshd_listening() {
	grep -q 'Server listening' "$SSHD_DIR/$1.log" 2> /dev/null
}

_sshd_failed() {
	! kill -0 "${sshd_pid[$1]}" 2> /dev/null
}

_sshd_ready_or_failed() {
	_sshd_listening "$1" || _sshd_failed "$1"
}

# sshd_start [NAME [SSHD_CONFIG_LINE...]]: start a server known to ssh as
# NAME (default testhost), its sshd_config lines given first (they win);
# skips the file with the reason when sshd cannot run here.
sshd_start() {
	local name=${1:-testhost} port config tries user line
	[ $# -gt 0 ] && shift
	user=$(id -un)
	_sshd_keys || skip_all "cannot generate ssh keys"
	# As root, sshd wants its privilege separation directory, which only the
	# ssh service's start-up creates: an empty directory, nothing configured.
	if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then
		mkdir -m 0755 -p /run/sshd 2> /dev/null || skip_all "sshd needs /run/sshd, which cannot be created"
	fi
	# SetEnv SHLVL=1 below: bash, started by sshd at level 1, counts itself
	# at level 2 and leaves the user's ~/.bashrc unread, so that what runs
	# there (a slow prompt setup) is not part of every test's timing.
	for tries in 1 2 3; do
		port=$(_free_port) || skip_all "no free loopback port for sshd"
		config=$SSHD_DIR/$name.sshd_config
		: > "$config"
		for line in "$@"; do
			echo "$line" >> "$config"
		done
		cat >> "$config" << EOF
ListenAddress 127.0.0.1
Port $port
HostKey $SSHD_DIR/host_key
AuthorizedKeysFile $SSHD_DIR/authorized_keys_%u
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PidFile $SSHD_DIR/$name.pid
MaxSessions 200
MaxStartups 100
PrintMotd no
LogLevel INFO
SetEnv SHLVL=1
EOF
		: > "$SSHD_DIR/$name.log"
		"$SSHD_PROG" -D -e -f "$config" >> "$SSHD_DIR/$name.log" 2>&1 < /dev/null &
		sshd_pid[$name]=$!
		sshd_port[$name]=$port
		at_exit "sshd_stop $name"
		wait_for 10 _sshd_ready_or_failed "$name"
		_sshd_listening "$name" && ! _sshd_failed "$name" && break
		grep -q 'Address already in use' "$SSHD_DIR/$name.log" || {
			diag "$(cat "$SSHD_DIR/$name.log")"
			skip_all "sshd does not start here (see its log above)"
		}
	done
	_sshd_listening "$name" || skip_all "sshd found no free port"
	sed -i '/^# defaults$/,$d' "$SSHD_DIR/ssh_config"
	cat >> "$SSHD_DIR/ssh_config" << EOF
Host $name
	HostName 127.0.0.1
	Port $port
	User $user
	IdentityFile $SSHD_DIR/client_key
EOF
	if [ "$name" = testhost ]; then
		cat >> "$SSHD_DIR/ssh_config" << EOF
Host nokeyhost
	HostName 127.0.0.1
	Port $port
	User nobody
	IdentityFile $SSHD_DIR/no_such_key
EOF
	fi
	_ssh_config_defaults
	$SSH "$name" true < /dev/null 2> "$SSHD_DIR/$name.check" ||
		{ diag "$(cat "$SSHD_DIR/$name.check" "$SSHD_DIR/$name.log")"; bail_out "cannot log in to the private sshd"; }
}

# What every host shares: the config file gives the first value found, so
# these come last, after each host's own lines.
_ssh_config_defaults() {
	cat >> "$SSHD_DIR/ssh_config" << EOF
# defaults
Host *
	UserKnownHostsFile $SSHD_DIR/known_hosts
	StrictHostKeyChecking accept-new
	IdentitiesOnly yes
	BatchMode yes
	LogLevel ERROR
	ConnectTimeout 10
EOF
}

# sshd_connections NAME: pids of the processes serving NAME's connections
# (the listener's children and theirs), one per line.
sshd_connections() {
	local listener=${sshd_pid[$1]} pid
	for pid in $(pgrep -P "$listener" 2> /dev/null); do
		echo "$pid"
		pgrep -P "$pid" 2> /dev/null
	done
}

# sshd_drop NAME: cut every connection to NAME (the server keeps listening).
sshd_drop() {
	local pids
	pids=$(sshd_connections "$1")
	[ -n "$pids" ] && kill -KILL $pids 2> /dev/null
	return 0
}

# sshd_stop NAME: the server and its connections go away.
sshd_stop() {
	local name=$1 pid=${sshd_pid[$1]:-}
	[ -n "$pid" ] || return 0
	# The connections first: once the listener is gone, its children are
	# no longer found as its children.
	kill -STOP "$pid" 2> /dev/null
	sshd_drop "$name"
	kill -TERM "$pid" 2> /dev/null
	kill -CONT "$pid" 2> /dev/null
	unset "sshd_pid[$name]"
}

# status_eval SOCKET EXPRESSION [ARG...]: the Python EXPRESSION evaluated on
# the status of the pooltop at SOCKET (`status`, the JSON object; ARGs in
# sys.argv[1:]), printed (a list as its items); nothing when there is no
# status or the expression finds no such key.
status_eval() {
	local socket=$1 expression=$2
	shift 2
	"$POOLTOP" ctl "$socket" status 2> /dev/null | python3 -c "
import json, sys
text = sys.stdin.read()
try:
    status = json.loads(text[text.index('{'):])
    value = $expression
except (ValueError, KeyError):
    sys.exit(0)
print(*value) if isinstance(value, list) else print(value)" "$@"
}
