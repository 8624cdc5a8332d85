#!/bin/sh
# tools/quickstart.sh - from a fresh Debian 12 to a running pooltop: installs
# the build dependencies with apt-get (as root), builds the source tree, then
# runs the demo (`sh tools/quickstart.sh demo`) or the test suite (`... test`).

set -eu

usage() {
	echo "usage: sh tools/quickstart.sh demo|test" >&2
	echo "  demo  build pooltop and run pooltop --demo" >&2
	echo "  test  build pooltop and run make check" >&2
	exit 2
}

[ $# -eq 1 ] || usage
mode=$1

build_packages="build-essential autoconf automake pkg-config libncurses-dev libproc2-dev libjansson-dev"
# What the test suite runs besides the binary: Check for unit tests, tmux to
# drive the TUI, mandoc to lint the man page, python3 and GNU parallel for
# the comparisons with their behaviour, procps for ps and pgrep,
# bash-completion to complete with its helpers as users' shells do,
# OpenSSH's server and client for the remote tests' private sshd, rsync for
# their file transfers.
test_packages="check tmux mandoc python3 parallel procps bash-completion"
test_packages="$test_packages openssh-server openssh-client rsync"

case $mode in
demo) packages=$build_packages ;;
test) packages="$build_packages $test_packages" ;;
*) usage ;;
esac

say() {
	echo "quickstart: $*" >&2
}

is_installed() {
	dpkg-query -W -f='${Status}' "$1" 2> /dev/null | grep -q 'install ok installed'
}

install_missing_packages() {
	missing=
	for package in $packages; do
		is_installed "$package" || missing="$missing $package"
	done
	[ -n "$missing" ] || return 0

	as_root=
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo > /dev/null 2>&1 || {
			say "missing packages:$missing; run this script as root to install them"
			exit 1
		}
		as_root=sudo
	fi
	say "installing:$missing"
	$as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	# shellcheck disable=SC2086 # the package list is meant to be split
	$as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends $missing
}

build() {
	if [ ! -x configure ] || [ configure.ac -nt configure ]; then
		say "autoreconf -fi"
		autoreconf -fi
	fi
	if [ ! -f Makefile ]; then
		say "./configure --enable-werror"
		./configure --enable-werror
	fi
	say "make -j2"
	make -j2
}

cd "$(dirname "$0")/.."
install_missing_packages
build

case $mode in
demo)
	say "src/pooltop --demo"
	exec src/pooltop --demo
	;;
test)
	say "make -j2 check"
	status=0
	make -j2 check VERBOSE=1 < /dev/null || status=$?
	exit "$status"
	;;
esac
