#!/bin/bash
# tests/cli/manpage.sh - the man page is clean for mandoc's linter and
# documents exactly the long options --help lists, every control verb the
# program knows, every key its help lists, and the sections a reader looks
# for.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

manpage=$top_srcdir/man/pooltop.1
[ -f "$manpage" ] || bail_out "no man page at $manpage"

# The long options --help describes: the first --name on each option line.
help_options() {
	"$POOLTOP" --help |
		grep -E '^ +(-[[:alnum:]], )?--[a-z]' |
		sed -E 's/^ +(-[[:alnum:]], )?(--[a-z][a-z-]*).*/\2/' |
		sort -u
}

# The long options the man page's OPTIONS section defines: those in the tag
# line after each .TP.
manpage_options() {
	awk '
		/^\.SH / { in_options = ($0 == ".SH OPTIONS") }
		in_options && tag { print }
		{ tag = in_options && /^\.TP/ }' "$manpage" |
		grep -oE '\\-\\-[a-z]([a-z]|\\-)*' |
		sed 's/\\-/-/g' |
		sort -u
}

# section NAME: the man page source of section NAME (quoted or not).
section() {
	awk -v name="$1" '
		/^\.SH / { header = substr($0, 5); gsub(/"/, "", header); inside = (header == name) }
		inside' "$manpage"
}

# subsection NAME: the man page source of subsection NAME, to the next .SS or .SH.
subsection() {
	awk -v name="$1" '
		/^\.S[HS] / { inside = ($0 == ".SS " name); next }
		inside' "$manpage"
}

# The keys list of TERMINAL INTERFACE: from "Keys:" to the paragraph after it.
keys_list() {
	section "TERMINAL INTERFACE" |
		awk '/^Keys:$/ { inside = 1; next } inside && /^\.PP/ { exit } inside'
}

# tag_words: the words of the tags (the line after each .TP) of the man page
# source on stdin, one a line, without the roff markup: ".BR F1 \", \" h"
# gives F1 and h, "\-" gives -.
tag_words() {
	awk '/^\.TP/ { tag = 1; next } tag { print; tag = 0 }' |
		sed -E 's/^\.[A-Z]+( |$)//; s/\\f[BIRP]//g; s/\\-/-/g; s/["(),]/ /g' |
		tr -s ' \t' '\n' | sed '/^$/d' | sort -u
}

if command -v mandoc > /dev/null 2>&1; then
	lint=$(mandoc -T lint -W warning "$manpage" 2>&1)
	lint_status=$?
	is "$lint" "" "mandoc -T lint reports nothing above style level"
	is "$lint_status" 0 "mandoc -T lint exits with status 0"
else
	skip "mandoc is not installed (Debian package mandoc)" 2
fi

help_list=$(help_options)
manpage_list=$(manpage_options)
ok '[ "$(wc -l <<< "$help_list")" -ge 20 ]' "the long options are found in --help"
missing=$(comm -23 <(echo "$help_list") <(echo "$manpage_list") | tr '\n' ' ')
is "$missing" "" "every long option of --help is described in the man page"
extra=$(comm -13 <(echo "$help_list") <(echo "$manpage_list") | tr '\n' ' ')
is "$extra" "" "every long option of the man page is listed by --help"

for name in NAME SYNOPSIS DESCRIPTION OPTIONS PLACEHOLDERS "WORKER MODE" OUTPUT \
	"JOB LOG" "EXIT STATUS" ENVIRONMENT SIGNALS FILES EXAMPLES "SEE ALSO"; do
	ok '[ -n "$(section "$name")" ]' "the man page has a $name section"
done

placeholders=$(section PLACEHOLDERS)
for placeholder in '{}' '{.}' '{/}' '{//}' '{/.}' '{#}' '{%}'; do
	ok 'grep -qxF ".B $placeholder" <<< "$placeholders"' "PLACEHOLDERS describes $placeholder"
done

environment=$(section ENVIRONMENT)
for variable in NO_COLOR TMPDIR TERM; do
	ok 'grep -qE "^\.BR? $variable( |$)" <<< "$environment"' "ENVIRONMENT describes $variable"
done

exit_status=$(section "EXIT STATUS")
for code in 0 101 130 143 255; do
	ok 'grep -qxE "\.BR? $code" <<< "$exit_status"' "EXIT STATUS explains status $code"
done

see_also=$(section "SEE ALSO")
for page in xargs parallel htop; do
	ok 'grep -qF ".BR $page (1)" <<< "$see_also"' "SEE ALSO names $page(1)"
done

# --- every control verb ----------------------------------------------------

# The verbs as the program itself lists them, in its reply to an unknown one.
unknown_verb_reply
quit_status=$?
like "$reply" "^error unknown command 'nosuchverb' \(verbs: [a-z, ]+\)$" \
	"an unknown verb is answered with the list of verbs"
verbs=$(sed -nE 's/.*\(verbs: (.*)\)$/\1/p' <<< "$reply" | tr -d ' ' | tr ',' '\n')
ok '[ "$(wc -w <<< "$verbs")" -ge 10 ]' "the verbs are found in the reply"
ok "[ $quit_status = 0 ]" "that pooltop quits when asked"

control_tags=$(subsection "The control socket" | tag_words)
for verb in $verbs; do
	ok 'grep -qxF -- "$verb" <<< "$control_tags"' "the control socket section describes the verb $verb"
done

# --- every key ---------------------------------------------------------------

# The keys as the help overlay lists them: one binding a line inside its box,
# the key names before the first two spaces, up to the empty line before
# the notes.
help_keys() {
	local line inside=
	while IFS= read -r line; do
		if [[ $line == *"pooltop keys"* ]]; then
			inside=yes
			continue
		fi
		[ -n "$inside" ] && [[ $line == *│*│* ]] || continue
		line=${line#*│}
		line=${line%│*}
		line=${line# }
		[[ $line == *[![:space:]]* ]] || break
		line=${line%%  *}
		tr ' ' '\n' <<< "$line"
	done
}

if command -v tmux > /dev/null 2>&1; then
	tui_start 100 30 "$POOLTOP" -j 1 --range=1..1000 -- sleep 60
	at_exit "kill -9 $(tui_pid)"
	tui_wait_text 10 "1/1 jobs"
	tui_keys '?'
	tui_wait_text 5 "pooltop keys"
	ok $? "? opens the help"
	keys=$(tui_screen | help_keys)
	ok '[ "$(wc -l <<< "$keys")" -ge 20 ] && grep -qxF F1 <<< "$keys"' \
		"the keys are found in the help"
	tui_keys Escape Q
	tui_wait_exit 15
	ok $? "that pooltop quits with Q"

	key_tags=$(keys_list | tag_words)
	for key in $keys; do
		ok 'grep -qxF -- "$key" <<< "$key_tags"' "the keys list of TERMINAL INTERFACE describes the key $key"
	done
else
	skip "tmux is not installed (Debian package tmux): the keys are not checked"
fi

done_testing
