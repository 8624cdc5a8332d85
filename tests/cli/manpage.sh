#!/bin/bash
# tests/cli/manpage.sh - the man page is clean for mandoc's linter and
# documents exactly the long options --help lists, and the sections a
# reader looks for.
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

done_testing
