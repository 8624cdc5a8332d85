#!/bin/bash
# tests/remote/remote_files.sh - --workdir, --transferfile, --return,
# --cleanup and --basefile leave the same files as GNU parallel -S with the
# same options: here and on the host (the private sshd is this machine, so
# the host's files are seen directly; each run gets a work dir of its own).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/sshd_lib.sh"
require_command parallel rsync
sshd_start

# make_inputs DIR: the files a run starts from.
make_inputs() {
	mkdir -p "$1/in/sub" && echo one > "$1/in/one.txt" && echo two > "$1/in/sub/two.txt" &&
		echo base > "$1/base.dat"
}

# tree DIR: every file and dir below DIR with its content, names relative.
tree() {
	(cd "$1" 2> /dev/null && find . -mindepth 1 | sort | while read -r path; do
		if [ -f "$path" ]; then echo "$path: $(cat "$path")"; else echo "$path/"; fi
	done)
}

# compare NAME OPTIONS...: run the same job with parallel and pooltop,
# each in a fresh dir with a work dir of its own on the host, and compare
# what each leaves here and there.
compare() {
	local name=$1
	shift
	local mine=$TEST_DIR/$name.pooltop theirs=$TEST_DIR/$name.parallel
	make_inputs "$mine/here" && make_inputs "$theirs/here"
	local job='cat {} > {}.out; cat base.dat >> {}.out 2> /dev/null; echo done {}'
	(cd "$theirs/here" && parallel --ssh "$SSH" -S testhost --workdir "$theirs/host" "$@" "$job" \
		::: in/one.txt in/sub/two.txt > ../out 2> ../err)
	(cd "$mine/here" && "$POOLTOP" --batch --ssh "$SSH" -S testhost --workdir "$mine/host" "$@" --shell "$job" \
		::: in/one.txt in/sub/two.txt > ../out 2> ../err)
	mine_status=$?
	is "$mine_status" 0 "$name: pooltop succeeds" || diag "$(cat "$mine/err")"
	is "$(sort "$mine/out")" "$(sort "$theirs/out")" "$name: the same output as parallel -S"
	is "$(tree "$mine/here")" "$(tree "$theirs/here")" "$name: the same files here as parallel leaves"
	is "$(tree "$mine/host")" "$(tree "$theirs/host")" "$name: the same files on the host as parallel leaves"
}

compare transfer --transferfile {}
ok '[ -f "$TEST_DIR/transfer.pooltop/host/in/sub/two.txt" ]' "--transferfile sends the item's file below the work dir"

compare return --transferfile {} --return {}.out
ok 'grep -qx one "$TEST_DIR/return.pooltop/here/in/one.txt.out"' "--return fetches the job's result to the same place here"

compare cleanup --transferfile {} --return {}.out --cleanup
ok '[ ! -e "$TEST_DIR/cleanup.pooltop/host/in" ]' "--cleanup removes what was sent and returned, and the dirs left empty"

compare basefile --basefile base.dat --transfer --return {}.out
ok 'grep -qx base "$TEST_DIR/basefile.pooltop/here/in/one.txt.out"' "--basefile is there before the first job"

compare basefile_cleanup --basefile base.dat --trc {}.out
ok '[ ! -e "$TEST_DIR/basefile_cleanup.pooltop/host/base.dat" ]' "--cleanup removes the basefile at the end"

# --workdir ...: a fresh dir under ~/.parallel/tmp for each job, the job
# runs there, and --cleanup removes it.
mkdir -p "$TEST_DIR/fresh/in" && echo fresh > "$TEST_DIR/fresh/in/f.txt"
(cd "$TEST_DIR/fresh" && "$POOLTOP" --batch --ssh "$SSH" -S testhost --workdir ... --trc {}.out \
	--shell 'cat {} > {}.out; pwd' ::: in/f.txt > out 2> err)
status=$?
is "$status" 0 "--workdir ... --trc: the run succeeds" || diag "$(cat "$TEST_DIR/fresh/err")"
fresh=$(cat "$TEST_DIR/fresh/out")
like "$fresh" "/\.parallel/tmp/[^/]*-[0-9]+-1$" \
	"the job ran in a fresh dir named after the host, pooltop's pid and the item's number"
ok 'grep -qx fresh "$TEST_DIR/fresh/in/f.txt.out"' "its result came back"
ok '[ -n "$fresh" ] && [ ! -e "$fresh" ]' "--cleanup removed the fresh dir"

# A relative basefile cannot go to a fresh dir: refused as parallel does.
run "$POOLTOP" --batch --ssh "$SSH" -S testhost --workdir ... --basefile base.dat true ::: 1
is "$status" 255 "--workdir ... with a relative --basefile is refused"
like "$errors" "^pooltop: work dir '...' will not work with relative basefiles" "...in one line"
done_testing
