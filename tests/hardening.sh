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
yes_if() { if "$@" >/dev/null 2>&1; then echo yes; else echo no; fi; }

hdr=$(readelf -hW "$bin")
dyn=$(readelf -dW "$bin")
seg=$(readelf -lW "$bin")
syms=$(readelf -sW --dyn-syms "$bin")

echo "hardening: $bin"
check "Position Independent Executable" \
    "$(yes_if sh -c 'echo "$0" | grep -q "Type: *DYN" && echo "$1" | grep -q "FLAGS_1.*PIE"' "$hdr" "$dyn")"
check "Read-only relocations (RELRO)" \
    "$(yes_if sh -c 'echo "$0" | grep -q GNU_RELRO' "$seg")"
check "Immediate binding (BIND_NOW)" \
    "$(yes_if sh -c 'echo "$0" | grep -Eq "\(BIND_NOW\)|FLAGS.*BIND_NOW|FLAGS_1.*NOW"' "$dyn")"
check "Stack protected" \
    "$(yes_if sh -c 'echo "$0" | grep -q "__stack_chk_fail"' "$syms")"
check "Fortify Source functions" \
    "$(yes_if sh -c 'echo "$0" | grep -Eq "__[a-z0-9_]+_chk@"' "$syms")"
check "Non-executable stack" \
    "$(yes_if sh -c 'echo "$0" | grep "GNU_STACK" | grep -vq "RWE"' "$seg")"
[ $fail -eq 0 ] || { echo "hardening: $bin is missing protections (see the Makefile's HARDEN and LDHARDEN)" >&2; exit 1; }
echo "hardening: all present"
