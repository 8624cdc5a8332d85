#!/bin/bash
# tests/cli/completion.sh - the bash completion loads and completes options,
# their values, file names, the command and the control verbs, in a plain
# bash and with bash-completion's helpers; its lists match the program's own.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

script=$top_srcdir/completion/pooltop.bash
[ -f "$script" ] || bail_out "no completion script at $script"
bash_completion=/usr/share/bash-completion/bash_completion

# A driver that does what bash does on TAB at the end of a line: split it
# into COMP_WORDS (at blanks, and around runs of the characters of
# COMP_WORDBREAKS such as "=" and ":"), then call the completion function
# with the command, the text to replace and the word before it.
cat > "$TEST_DIR/driver.bash" << 'EOF'
with_bash_completion=$1 script=$2 line=$3
if [ "$with_bash_completion" = yes ]; then
	. /usr/share/bash-completion/bash_completion || exit 1
fi
. "$script" || exit 1
breaks=${COMP_WORDBREAKS//[[:space:]]/}
COMP_WORDS=() piece= kind=
for ((i = 0; i < ${#line}; i++)); do
	char=${line:i:1}
	if [[ $char == [[:blank:]] ]]; then
		[ -n "$piece" ] && COMP_WORDS+=("$piece")
		piece= kind=
		continue
	fi
	new_kind=word
	[[ $breaks == *"$char"* ]] && new_kind=break
	if [ -n "$piece" ] && [ "$new_kind" != "$kind" ]; then
		COMP_WORDS+=("$piece")
		piece=
	fi
	piece+=$char kind=$new_kind
done
COMP_WORDS+=("$piece")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$line COMP_POINT=${#line}
text=$piece
[ "$kind" = break ] && text=
_pooltop "${COMP_WORDS[0]}" "$text" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}" | sort -u
EOF

# offered LINE: what TAB at the end of LINE offers, one a line, sorted, run
# in the test's directory from a bash without any configuration;
# offered_with_helpers LINE: the same with bash-completion loaded.  Outside
# a real TAB compopt complains that no completion is running; that goes to
# a file.
offered() {
	(cd "$TEST_DIR/files" && bash --norc --noprofile "$TEST_DIR/driver.bash" no "$script" "$1") \
		2>> "$TEST_DIR/driver.err"
}
offered_with_helpers() {
	(cd "$TEST_DIR/files" && bash --norc --noprofile "$TEST_DIR/driver.bash" yes "$script" "$1") \
		2>> "$TEST_DIR/driver.err"
}
lines() {
	printf '%s\n' "$@"
}

mkdir -p "$TEST_DIR/files/logs" || bail_out "cannot create $TEST_DIR/files"
touch "$TEST_DIR/files/items.txt" "$TEST_DIR/files/run.log" "$TEST_DIR/files/pool.sock"

bash --norc --noprofile -c '. "$1" && complete -p pooltop' completion "$script" \
	> "$TEST_DIR/load.out" 2>&1
is "$(< "$TEST_DIR/load.out")" "complete -F _pooltop pooltop" \
	"the script loads in a plain bash and registers _pooltop for pooltop"

# --- options and their values ------------------------------------------------

is "$(offered 'pooltop --sh')" "$(lines --shell --shrink= --shuf)" \
	"pooltop --sh<TAB> offers --shell, --shrink= and --shuf"
is "$(offered 'pooltop --trim=')" "$(lines l lr n r rl)" \
	"pooltop --trim=<TAB> offers the trim modes"
is "$(offered 'pooltop --shrink=')" "$(lines graceful kill)" \
	"pooltop --shrink=<TAB> offers graceful and kill"
is "$(offered 'pooltop --shrink=gr')" "graceful" "pooltop --shrink=gr<TAB> completes graceful"
is "$(offered 'pooltop -j 4 --shrink ')" "$(lines graceful kill)" \
	"and so does --shrink with its value as the next word"
is "$(offered 'pooltop --halt=')" \
	"$(lines never now,done= now,fail= now,success= soon,done= soon,fail= soon,success=)" \
	"pooltop --halt=<TAB> offers never and the now/soon conditions"
is "$(offered 'pooltop --halt=soon,f')" "soon,fail=" "pooltop --halt=soon,f<TAB> completes soon,fail="
is "$(offered 'pooltop -j ')" "" "pooltop -j <TAB> offers nothing: a count is not a fixed set"
is "$(offered 'pooltop -d ')" "$(lines '\\0' '\\n' '\\t')" \
	"pooltop -d <TAB> offers \\0, \\n and \\t, which the shell passes on as \0, \n and \t"

# The long options --help describes, with "=" after those that need a value.
help_options=$("$POOLTOP" --help |
	grep -E '^ +(-[[:alnum:]], )?--[a-z]' |
	sed -E 's/^ +(-[[:alnum:]], )?(--[a-z][a-z-]*(=)?).*/\2/' | sort -u)
ok '[ "$(wc -l <<< "$help_options")" -ge 20 ]' "the long options are found in --help"
is "$(offered 'pooltop --')" "$help_options" \
	"pooltop --<TAB> offers exactly the long options of --help, = marking those with a value"
short_offered=$(offered 'pooltop -' | grep -vE '^--')
short_help=$("$POOLTOP" --help | sed -nE 's/^ +(-[[:alnum:]])(, --| {2,}).*/\1/p' | sort -u)
is "$short_offered" "$short_help" "pooltop -<TAB> offers the short options of --help too"

# --- files -------------------------------------------------------------------

is "$(offered 'pooltop -a ')" "$(lines items.txt logs pool.sock run.log)" \
	"pooltop -a <TAB> offers the files of the directory"
is "$(offered 'pooltop -a i')" "items.txt" "pooltop -a i<TAB> completes items.txt"
is "$(offered 'pooltop --arg-file=i')" "items.txt" "so does --arg-file=i<TAB>"
is "$(offered 'pooltop --joblog r')" "run.log" "pooltop --joblog r<TAB> completes run.log"
is "$(offered 'pooltop -k --log=r')" "run.log" "and --log=r<TAB>"

# --- the command ---------------------------------------------------------------

ok 'offered "pooltop -j 4 ech" | grep -qx echo' "pooltop -j 4 ech<TAB> offers the command echo"
ok 'offered "pooltop -- ech" | grep -qx echo' "so does pooltop -- ech<TAB>"
is "$(offered 'pooltop ct' | grep -x ctl)" "ctl" "pooltop ct<TAB> offers ctl"
is "$(offered 'pooltop -k echo --sh')" "" \
	"after the command, its own options are not taken for pooltop's"
is "$(offered 'pooltop echo {} ::: it')" "items.txt" "after ::: come items: file names"
is "$(offered 'pooltop -j 2 -- -k ')" "$(lines items.txt logs pool.sock run.log)" \
	"after -- the first word is the command, and its arguments are file names"

# --- pooltop ctl SOCKET VERB -----------------------------------------------------

is "$(offered 'pooltop ctl po')" "pool.sock" "pooltop ctl po<TAB> completes the socket's file name"

# The verbs as the program itself lists them, in its reply to an unknown one.
unknown_verb_reply
verbs=$(sed -nE 's/.*\(verbs: (.*)\)$/\1/p' <<< "$reply" | tr -d ' ' | tr ',' '\n' | sort)
ok '[ "$(wc -l <<< "$verbs")" -ge 10 ]' "the program lists its control verbs"
is "$(offered 'pooltop ctl pool.sock ')" "$verbs" \
	"pooltop ctl SOCKET <TAB> offers exactly the verbs the program knows"
is "$(offered 'pooltop ctl pool.sock re')" "$(lines requeue resume)" \
	"pooltop ctl SOCKET re<TAB> offers requeue and resume"
is "$(offered 'pooltop ctl pool.sock autotune ')" "$(lines off on)" \
	"autotune takes on or off"
is "$(offered 'pooltop ctl pool.sock quit ')" "kill" "quit takes kill"
is "$(offered 'pooltop ctl pool.sock host ')" "$(lines add drain remove)" "host takes add, drain or remove"

# --- with bash-completion's helpers ------------------------------------------------

if [ -f "$bash_completion" ]; then
	is "$(offered_with_helpers 'pooltop --shrink=')" "$(lines graceful kill)" \
		"with bash-completion: --shrink=<TAB> offers graceful and kill"
	is "$(offered_with_helpers 'pooltop -a i')" "items.txt" \
		"with bash-completion: -a i<TAB> completes items.txt"
	is "$(offered_with_helpers 'pooltop ctl pool.sock au')" "autotune" \
		"with bash-completion: ctl SOCKET au<TAB> completes autotune"
	ok 'offered_with_helpers "pooltop -j 4 ech" | grep -qx echo' \
		"with bash-completion: the command is completed as command completes it"
	is "$(offered_with_helpers 'pooltop -k echo {} ::: it')" "items.txt" \
		"with bash-completion: items after ::: are file names"
else
	skip "bash-completion is not installed (Debian package bash-completion)" 5
fi

# --- zsh -----------------------------------------------------------------------

# The zsh completion describes the same options and verbs.
zsh_script=$top_srcdir/completion/_pooltop
zsh_options=$(grep -E "^  '" "$zsh_script" | grep -oE -- '--[a-z][a-z-]*' | sort -u)
is "$zsh_options" "$(sed 's/=$//' <<< "$help_options" | sort -u)" \
	"the zsh completion describes the long options of --help"
zsh_verbs=$(sed -nE "s/^    '([a-z]+):.*/\1/p" "$zsh_script" | sort)
is "$zsh_verbs" "$verbs" "and the verbs the program knows"
if command -v zsh > /dev/null 2>&1; then
	zsh -n "$zsh_script" 2> "$TEST_DIR/zsh.err"
	ok $? "zsh reads the zsh completion without a syntax error"
else
	skip "zsh is not installed (Debian package zsh)"
fi

# --- in a real terminal ---------------------------------------------------------

# Readline itself: the replacement after "=" and no space after a value's "=".
if command -v tmux > /dev/null 2>&1; then
	printf '%s\n' "PS1='$ '" "cd '$TEST_DIR/files'" ". '$script'" > "$TEST_DIR/bashrc"
	tui_start 100 10 bash --rcfile "$TEST_DIR/bashrc" --noprofile -i
	tui_wait_text 10 '$' > /dev/null
	tui_keys -l 'pooltop --shr'
	tui_keys Tab
	tui_keys -l 'g'
	tui_keys Tab
	tui_keys -l -- '-a i'
	tui_keys Tab
	tui_wait_text 10 'pooltop --shrink=graceful -a items.txt'
	ok $? "in bash, TAB turns 'pooltop --shr' 'g' '-a i' into 'pooltop --shrink=graceful -a items.txt'"
else
	skip "tmux is not installed (Debian package tmux)"
fi

done_testing
