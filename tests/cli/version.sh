#!/bin/bash
# tests/cli/version.sh - --version and --help answer as the GNU Coding
# Standards ask: on stdout, with exit status 0.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

# make check passes the configured version; by hand, accept any version.
version_pattern='[0-9]+\.[0-9]+\.[0-9]+'
[ -n "$PACKAGE_VERSION" ] && version_pattern=${PACKAGE_VERSION//./\\.}

run "$POOLTOP" --version
is "$status" 0 "pooltop --version exits with status 0"
like "${output%%$'\n'*}" "^pooltop .*$version_pattern" \
	"the first line names pooltop and its version"
is "$errors" "" "pooltop --version writes nothing on stderr"

run "$POOLTOP" --help
is "$status" 0 "pooltop --help exits with status 0"
like "$output" "--jobs" "the help text describes --jobs"

done_testing
