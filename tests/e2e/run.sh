#!/bin/sh
# The whole journey in a real browser: Debian's Chromium, driven by
# playwright-core from npm (no browser download), against `zizhi serve` on
# a free loopback port with a fresh database and its own staff accounts.
#
#   sh tests/e2e/run.sh [BUILD_DIR]
#
# Screenshots go to $SCREENSHOTS (default: a temporary folder, removed
# afterwards); `SCREENSHOTS=docs/screenshots sh tests/e2e/run.sh` refreshes
# the README's tour (compressed with pngquant when it is installed).
# E2E_KEEP=1 keeps the server log and database; E2E_TRACE=1 prints every
# page the journeys open, with its time.
set -eu
build=${1:-build}
top=$(pwd)
zizhi=${ZIZHI_BIN:-$top/$build/zizhi}
e2e="$top/tests/e2e"
chromium=${CHROMIUM:-/usr/bin/chromium}

[ -x "$zizhi" ] || { echo "e2e: $zizhi not found; run make first" >&2; exit 1; }
[ -x "$chromium" ] || {
	echo "e2e: $chromium not found; install Debian's chromium (make deps)" >&2
	exit 1
}
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	{ echo "e2e: node and npm not found; install Node.js 20 or later with npm" >&2; exit 1; }
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] ||
	{ echo "e2e: playwright-core needs Node.js 20 or later; this is $(node --version)" >&2; exit 1; }
if [ ! -f "$e2e/node_modules/playwright-core/package.json" ] ||
   [ ! -f "$e2e/node_modules/axe-core/package.json" ]; then
	echo "e2e: installing npm packages (npm ci)"
	(cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zizhi-e2e.XXXXXX")
pid=""
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	if [ "${E2E_KEEP:-0}" = 1 ]; then echo "e2e: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT INT TERM

shots=${SCREENSHOTS:-$tmp/screenshots}
case "$shots" in /*) ;; *) shots="$top/$shots" ;; esac
mkdir -p "$shots"

db="$tmp/zizhi.db"
"$zizhi" init --db "$db" > "$tmp/init.log" 2>&1 || {
	cat "$tmp/init.log" >&2; echo "e2e: zizhi init failed" >&2; exit 1; }

# Staff accounts, one per role the journey needs (two for 发证: a batch
# is approved by someone other than its creator; a supervisor for the
# appeal).
pw="e2e staff password"
staff() {	# staff ROLE EMAIL NAME
	printf '%s\n' "$pw" | "$zizhi" user add --db "$db" --role "$1" \
	    --email "$2" --name "$3" > /dev/null
}
staff lead lead@e2e.example 周立
staff assessor assessor@e2e.example 吴评
staff expert expert@e2e.example 郑专
staff cert_staff cert1@e2e.example 冯制
staff cert_staff cert2@e2e.example 陈批
staff supervisor supervisor@e2e.example 孙监
staff admin admin@e2e.example 钱管

# The centre's supplementary requirement (§3.1 (5)) that the lead records
# at review; the paper original stays required (the default).
"$zizhi" intake requirement add --db "$db" --title "近三年无重大违法违规记录" \
    --hint "信用中国、国家企业信用信息公示系统的查询结果" > /dev/null

"$zizhi" serve --listen 127.0.0.1:0 --port-file "$tmp/serve.port" \
	--db "$db" --public-url https://zizhi.example.org 2> "$tmp/serve.log" &
pid=$!
i=0
while [ ! -s "$tmp/serve.port" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$tmp/serve.log" >&2; echo "e2e: zizhi serve did not start" >&2; exit 1; }
	sleep 0.1
done
url="http://127.0.0.1:$(cat "$tmp/serve.port")"
echo "e2e: zizhi serve at $url (pid $pid); screenshots in $shots"

status=0
ZIZHI_URL=$url ZIZHI_STAFF_PASSWORD=$pw E2E_SHOTS=$shots E2E_TMP=$tmp \
    ZIZHI_BIN=$zizhi ZIZHI_DB=$db \
    CHROMIUM=$chromium node "$e2e/journey.js" || status=$?

kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=""
if [ $status -ne 0 ]; then
	echo "--- server log (last 30 lines)" >&2
	tail -n 30 "$tmp/serve.log" >&2 || true
	exit $status
fi
if [ -n "${SCREENSHOTS:-}" ]; then
	if command -v pngquant >/dev/null 2>&1; then
		pngquant --force --skip-if-larger --quality 55-80 --strip --ext .png "$shots"/*.png || true
	else
		echo "e2e: pngquant not installed; the screenshots are not compressed" >&2
	fi
	echo "e2e: screenshots: $(du -sh "$shots" | cut -f1) in $shots"
fi
