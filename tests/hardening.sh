#!/bin/sh
# The hardened build (issue 7), checked on the binary itself with readelf,
# the way Debian's hardening-check (devscripts) does: PIE, full RELRO
# (RELRO + BIND_NOW), stack protector, _FORTIFY_SOURCE, non-executable
# stack. Only for the plain build: the sanitizer build trades these for
# ASan+UBSan.
#
#   sh tests/hardening.sh build/zizhi
set -eu
bin=${1:-build/zizhi}
fail=0
check() {	# check WHAT CONDITION-RESULT
	if [ "$2" = yes ]; then echo "  $1: yes"; else echo "  $1: NO" >&2; fail=1; fi
}
# readelf's output goes to files: the symbol table of a growing binary
# is past what one argument may hold (128 KiB), where passing it to a
# command would fail and read as a missing protection.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
readelf -hW "$bin" >"$tmp/hdr"
readelf -dW "$bin" >"$tmp/dyn"
readelf -lW "$bin" >"$tmp/seg"
readelf -sW --dyn-syms "$bin" >"$tmp/syms"
has() { if grep -Eq "$1" "$tmp/$2"; then echo yes; else echo no; fi; }

echo "hardening: $bin"
pie=no
[ "$(has 'Type: *DYN' hdr)" = yes ] && [ "$(has 'FLAGS_1.*PIE' dyn)" = yes ] &&
    pie=yes
check "Position Independent Executable" $pie
check "Read-only relocations (RELRO)" "$(has GNU_RELRO seg)"
check "Immediate binding (BIND_NOW)" \
    "$(has '\(BIND_NOW\)|FLAGS.*BIND_NOW|FLAGS_1.*NOW' dyn)"
check "Stack protected" "$(has __stack_chk_fail syms)"
check "Fortify Source functions" "$(has '__[a-z0-9_]+_chk@' syms)"
nx=no
grep GNU_STACK "$tmp/seg" | grep -vq RWE && nx=yes
check "Non-executable stack" $nx
[ $fail -eq 0 ] || { echo "hardening: $bin is missing protections (see the Makefile's HARDEN and LDHARDEN)" >&2; exit 1; }
echo "hardening: all present"
