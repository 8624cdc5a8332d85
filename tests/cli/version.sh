#!/bin/bash
# tests/cli/version.sh - --version and --help answer as the GNU Coding
# Standards ask: on stdout, with exit status 0; --version with the copyright
# and licence lines, --help ending with where to report bugs or read more.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

# make check passes the configured version; by hand, accept any version.
version_pattern='[0-9]+\.[0-9]+\.[0-9]+'
[ -n "$PACKAGE_VERSION" ] && version_pattern=${PACKAGE_VERSION//./\\.}

run "$POOLTOP" --version
is "$status" 0 "pooltop --version exits with status 0"
like "${output%%$'\n'*}" "^pooltop .*$version_pattern" \
	"the first line names pooltop and its version"
is "$errors" "" "pooltop --version writes nothing on stderr"
like "$output" $'\nCopyright \\(C\\) [0-9]{4}' "a copyright line follows"
like "$output" $'\nLicense GPLv3\\+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>\\.\n' \
	"the licence README.md names, as the GNU Coding Standards word it"
like "$output" $'\nThis is free software: you are free to change and redistribute it\\.\nThere is NO WARRANTY, to the extent permitted by law\\.$' \
	"and the free software and no-warranty lines end it"

run "$POOLTOP" --help
is "$status" 0 "pooltop --help exits with status 0"
like "$output" "--jobs" "the help text describes --jobs"
like "$output" "--log=FILE" "and --log"
unlike "$output" $'Report bugs to: *(\n|$)' "no empty 'Report bugs to:' line"
like "${output##*$'\n'}" "^(Report bugs to: .+|Full documentation: man pooltop)$" \
	"the last line says where to report bugs, or where the full documentation is"

"$POOLTOP" --version > /dev/full 2> "$TEST_DIR/full.err"
is "$?" 255 "--version to a full disk fails with status 255"
like "$(< "$TEST_DIR/full.err")" "^pooltop: cannot write standard output: No space left on device$" \
	"and says so on stderr"

done_testing
