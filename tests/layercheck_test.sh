#!/bin/sh
# The layer check (tools/layercheck.c) on this tree, then on copies of
# it with one planted violation each: every one must be caught, with its
# message, or the check is not worth running.
#
#   sh tests/layercheck_test.sh BUILD_DIR
set -eu
build=${1:-build}
check="$build/layercheck"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zizhi-layer.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$check" src templates

n=0
# plant NAME FILE TEXT WANT: TEXT appended to FILE (under a fresh copy),
# the check must fail and say WANT.
plant() {
	rm -rf "$tmp/t"
	mkdir -p "$tmp/t"
	cp -R src templates "$tmp/t/"
	printf '%s\n' "$3" >> "$tmp/t/$2"
	if out=$("$check" "$tmp/t/src" "$tmp/t/templates" 2>&1); then
		echo "layercheck test: $1 planted in $2, and the check passed" >&2
		exit 1
	fi
	case "$out" in
	*"$4"*) ;;
	*) echo "layercheck test: $1: no \"$4\" in:" >&2; echo "$out" >&2; exit 1 ;;
	esac
	n=$((n + 1))
}

page=$(ls src/pages_*.c | head -n 1 | sed 's|^src/||')
plant "a database call in a page" "src/$page" \
    'static void planted(void) { sqlite3_exec(0, 0, 0, 0, 0); }' \
    "in a page file"
plant "SQL text in a page" "src/$page" \
    'static const char *planted = "SELECT id FROM cases WHERE id = 1";' \
    "SQL text in a page file"
plant "SQL that is not a literal" "src/access.c" \
    'static void planted(struct store *s, const char *q) { store_stmt(s, q); }' \
    "not a string literal"
plant "raw template output" "templates/home.html" '{{{planted}}}' \
    "raw template output"
plant "an upward include" "src/rules.c" '#include "page.h"' \
    "of the higher layer"
plant "an include cycle" "src/dom.h" '#include "access.h"' \
    "include cycle"
plant "a status as a string" "src/access.c" \
    'static const char *planted = "issued";' "status \"issued\" as a string"
plant "a status written in SQL" "src/access.c" \
    'static const char *planted = "SELECT 1 FROM cases WHERE status = '"'"'draft'"'"'";' \
    "status 'draft' written in SQL"
echo "layercheck test: all $n planted violations caught"
