#!/bin/sh
# Integration tests: start `zizhi serve` on a free port and, in the same
# run, nginx (private config, the documented site file) in front of
# `zizhi fcgi` workers; run every tests/itest_* program against both; stop
# everything by PID.
#
#   sh tests/integration.sh BUILD_DIR
#
#   ITESTS="itest_auth itest_apply"  runs only these (default: all)
set -eu
. "$(dirname "$0")/lib.sh"
build=${1:-build}
top=$(pwd)
zizhi="$top/$build/zizhi"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zizhi-itest.XXXXXX")
pids=""
max_body=1048576
max_file=262144

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	if [ "${keep:-0}" = 1 ]; then echo "integration: logs kept in $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT INT TERM

fail() {
	echo "integration: $*" >&2
	for f in "$tmp"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; } >&2; done
	keep=1
	exit 1
}

"$zizhi" init --db "$tmp/zizhi.db" > "$tmp/init.log" 2>&1 || fail "zizhi init failed"

# The embedded server.
"$zizhi" serve --listen 127.0.0.1:0 --port-file "$tmp/serve.port" \
	--db "$tmp/zizhi.db" --max-body $max_body --max-file $max_file \
	2> "$tmp/serve.log" &
pids="$pids $!"
wait_for "$tmp/serve.port" || fail "zizhi serve did not start"
serve_url="http://127.0.0.1:$(cat "$tmp/serve.port")"

# nginx (static files from disk at once), then the FastCGI workers behind
# it, whose links name nginx's address.
site() {
	sed -e "s|@LISTEN@|127.0.0.1:$1|" -e "s|@SOCKET@|$tmp/fcgi.sock|" \
	    -e "s|@SHARE@|$top|" -e "s|@MAX_BODY@|2m|" docs/nginx/zizhi-site.conf
}
start_nginx "$tmp" site || fail "nginx did not start"
pids="$pids $nginx_pid"
port=$nginx_port
fcgi_url="http://127.0.0.1:$port"
"$zizhi" fcgi --socket "$tmp/fcgi.sock" --workers 4 --db "$tmp/zizhi.db" \
	--max-body $max_body --max-file $max_file --public-url "$fcgi_url" \
	2> "$tmp/fcgi.log" &
pids="$pids $!"
wait_for "$tmp/fcgi.sock" || fail "zizhi fcgi did not start"

echo "integration: serve at $serve_url, nginx+fcgi at $fcgi_url"
status=0
for t in "$top/$build"/tests/itest_*; do
	[ -x "$t" ] || continue
	if [ -n "${ITESTS:-}" ]; then
		case " $ITESTS " in
		*" $(basename "$t") "*) ;;
		*) continue ;;
		esac
	fi
	echo "== $t"
	start=$(date +%s)
	ZIZHI_SERVE_URL=$serve_url ZIZHI_FCGI_URL=$fcgi_url ZIZHI_MAX_BODY=$max_body ZIZHI_MAX_FILE=$max_file \
	ZIZHI_BIN=$zizhi ZIZHI_TMP=$tmp ZIZHI_DB=$tmp/zizhi.db \
	ZIZHI_SMTP_SINK=$top/$build/tests/smtp_sink "$t" || status=1
	echo "== $(basename "$t"): $(($(date +%s) - start)) s"
done
# The servers must still be up after everything the tests sent.
curl -sf -o /dev/null "$serve_url/" || fail "zizhi serve stopped answering"
curl -sf -o /dev/null "$fcgi_url/" || fail "nginx+fcgi stopped answering"
[ $status -eq 0 ] || fail "integration tests failed"

# They must also stop cleanly when asked (under ASan, a leak or a bad
# free at exit turns into a non-zero status here).
for p in $pids; do
	kill "$p" 2>/dev/null || true
	if ! wait "$p"; then
		fail "a server (pid $p) did not exit cleanly"
	fi
done
pids=""
echo "integration: all passed"
