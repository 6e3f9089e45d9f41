#!/bin/sh
# cli_errors.sh: the command line's answers to bad arguments, missing
# files and wrong databases, and the happy path next to each: `zizhi`
# init, serve/fcgi options, sweep, verify, backup/restore, import and user
# add. Each call's exit status and a line of what it prints (stdout or
# stderr, as the program prints it) are checked.
#
# usage: sh tests/cli_errors.sh path/to/zizhi
# The last line printed is "cli errors: N passed, M failed"; the exit
# status is non-zero when M > 0.

zizhi=${1:?usage: sh tests/cli_errors.sh path/to/zizhi}
case $zizhi in /*) ;; *) zizhi=$(pwd)/$zizhi ;; esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
db="$tmp/t.db"
passed=0
failed=0
# No setting of the caller's may change what the commands do.
unset ZIZHI_DB ZIZHI_PUBLIC_URL ZIZHI_PAYEE_NAME ZIZHI_PAYEE_BANK \
    ZIZHI_PAYEE_ACCOUNT ZIZHI_PAYEE_NOTE ZIZHI_REQUIRE_2FA \
    ZIZHI_UNSERVED_DAYS

# ok STATUS TEXT ARG...: `zizhi ARG...` (standard input from $tmp/in,
# in the directory $cwd when set) exits with STATUS and prints TEXT (a fixed string) on stdout or stderr.
# TEXT "" checks the status only.
ok() {
	want_rc=$1
	want=$2
	shift 2
	(cd "${cwd:-.}" && "$zizhi" "$@") <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$want_rc" ] && { [ -z "$want" ] ||
	    grep -qF -e "$want" "$tmp/out" "$tmp/err"; }; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: zizhi $*"
		echo "  expected (exit $want_rc): $want"
		echo "  got      (exit $rc):"
		sed 's/^/  stdout: /' "$tmp/out"
		sed 's/^/  stderr: /' "$tmp/err"
	fi
}

# check WHAT COMMAND...: a shell condition that must hold.
check() {
	what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $what"
	fi
}

: >"$tmp/in"
missing="$tmp/no/such/dir/x.db"

# --- dispatch and help
ok 2 'zizhi: unknown command "frobnicate"' frobnicate
ok 0 "usage: zizhi COMMAND [options]" help
ok 0 "usage: zizhi COMMAND [options]" --help

# --- init
ok 2 "zizhi init: unknown option --bogus (see \`zizhi help\`)" init --bogus
ok 2 "zizhi init: unknown option --listen" init --listen 127.0.0.1:1
ok 2 "zizhi init: --db needs a value" init --db
ok 1 "zizhi init: " init --db "$missing"
check "init --db in a missing directory creates nothing" test ! -e "$missing"
ok 0 "upgraded from schema version 0 to" init --db "$db"
check "init leaves the database readable by its owner only" \
    sh -c "ls -l '$db' | grep -q '^-rw-------'"
ok 0 "is up to date (schema version" init --db "$db"
sqlite3 "$tmp/newer.db" "PRAGMA user_version = 999"
ok 1 "zizhi init: the database is at schema version 999, newer than this program" \
    init --db "$tmp/newer.db"
ok 0 "admin        admin@demo.zizhi.test        zizhi-demo-admin" \
    init --db "$db" --demo
# A second --demo resets the passwords of the accounts it made.
ok 0 "applicant    applicant@demo.zizhi.test    zizhi-demo-applicant" \
    init --db "$db" --demo
check "a second init --demo makes no second demo organisation" \
    test "$(sqlite3 "$db" "SELECT count(*) FROM org WHERE name = '演示信息安全技术有限公司'")" = 1
check "init --demo makes one account per role, two certificate officers" \
    test "$(sqlite3 "$db" "SELECT count(*) FROM account WHERE email LIKE '%@demo.zizhi.test'")" = 8
# Arguments past the last option are kept up to a limit.
ok 2 "zizhi init: too many arguments" init $(seq 1 33)

# --- serve and fcgi options (checked before anything is opened)
ok 2 'zizhi serve: --max-body wants a number from 0 to 4294967296, got "abc"' \
    serve --db "$db" --max-body abc
ok 2 'zizhi serve: --max-body wants a number from 0 to 4294967296, got "-1"' \
    serve --db "$db" --max-body -1
ok 2 'zizhi serve: --max-file wants a number from 0 to 4294967296, got "4294967297"' \
    serve --db "$db" --max-file 4294967297
ok 2 'zizhi serve: --max-file wants a number from 0 to 4294967296, got ""' \
    serve --db "$db" --max-file ""
ok 2 "zizhi serve: --public-url wants the site's address" \
    serve --db "$db" --public-url ftp://zizhi.example.cn
ok 2 'got "https://zizhi.example.cn/"' \
    serve --db "$db" --public-url https://zizhi.example.cn/
ok 2 'got "https://zizhi.example.cn/a b"' \
    serve --db "$db" --public-url "https://zizhi.example.cn/a b"
ok 2 "zizhi serve: --payee-name wants 1 to 200 characters of UTF-8 text" \
    serve --db "$db" --payee-name ""
ok 2 "zizhi serve: --payee-note wants 1 to 1000 characters" \
    serve --db "$db" --payee-note "$(printf 'line\nbreak')"
# Good payee words pass; the bad option after them still stops it.
ok 2 'zizhi serve: --max-body wants a number from 0 to 4294967296, got "x"' \
    serve --db "$db" --payee-name 演示收款单位 --payee-bank 演示银行 \
    --payee-account 6222000011112222 --payee-note 请注明案件编号 \
    --require-2fa --listen 127.0.0.1:0 --port-file "$tmp/p" \
    --public-url https://zizhi.example.cn --max-body x
ok 2 "zizhi serve: unknown option --workers" serve --db "$db" --workers 2
ok 1 "zizhi serve: " serve --db "$missing" --listen 127.0.0.1:0
export ZIZHI_PUBLIC_URL=zizhi.example.cn
ok 2 'zizhi serve: ZIZHI_PUBLIC_URL wants the site' serve --db "$db"
unset ZIZHI_PUBLIC_URL
export ZIZHI_PAYEE_NAME=甲 ZIZHI_PAYEE_BANK="$(printf 'a\tb')"
ok 2 "zizhi serve: ZIZHI_PAYEE_BANK wants 1 to 200 characters" \
    serve --db "$db"
unset ZIZHI_PAYEE_NAME ZIZHI_PAYEE_BANK
ok 2 'zizhi fcgi: --workers wants a number from 1 to 64, got "0"' \
    fcgi --db "$db" --workers 0
ok 2 'zizhi fcgi: --workers wants a number from 1 to 64, got "65"' \
    fcgi --db "$db" --workers 65
ok 2 'zizhi fcgi: --socket-mode wants a number from 0 to 511, got "0999"' \
    fcgi --db "$db" --socket-mode 0999
ok 2 "zizhi fcgi: the site's public address is required" \
    fcgi --db "$db" --socket "$tmp/f.sock"
ok 2 "zizhi fcgi: --socket wants a Unix socket path (never TCP), got 127.0.0.1:9000" \
    fcgi --db "$db" --socket 127.0.0.1:9000 --public-url https://zizhi.example.cn
# (libfcgi itself would exit with errno as the status, unexplained.)
ok 1 "zizhi fcgi: cannot listen on $tmp/no/such/dir/f.sock: No such file or directory" \
    fcgi --db "$db" --socket "$tmp/no/such/dir/f.sock" \
    --public-url https://zizhi.example.cn
ok 1 "zizhi fcgi: " fcgi --db "$missing" --socket "$tmp/f.sock" \
    --socket-mode 0600 --workers 2 --public-url https://zizhi.example.cn

# --- sweep
ok 2 "usage: zizhi sweep --public-url URL [--db PATH]" sweep --db
ok 2 "usage: zizhi sweep --public-url URL [--db PATH]" sweep --bogus x
ok 2 "usage: zizhi sweep --public-url URL [--db PATH]" \
    sweep --db "$db" --backoff -1
ok 2 "usage: zizhi sweep --public-url URL [--db PATH]" \
    sweep --db "$db" --backoff 86401
# Every mail links to its case: no sweep without the site's address.
ok 2 "zizhi sweep: the site's public address is required" sweep --db "$db"
export ZIZHI_PUBLIC_URL=https://zizhi.example.cn
ok 2 'zizhi sweep: --unserved-days (or ZIZHI_UNSERVED_DAYS) wants a number of days from 1 to 365, got "0"' \
    sweep --db "$db" --unserved-days 0
export ZIZHI_UNSERVED_DAYS=3x
ok 2 'wants a number of days from 1 to 365, got "3x"' sweep --db "$db"
unset ZIZHI_UNSERVED_DAYS
ok 2 'zizhi sweep: --now wants YYYY-MM-DD, got "2026-13-01"' \
    sweep --db "$db" --now 2026-13-01
ok 1 "zizhi sweep: lock" sweep --db "$missing"
: >"$tmp/empty.db"
ok 1 "zizhi sweep: " sweep --db "$tmp/empty.db"
ok 1 "zizhi sweep: " sweep --db "$db" --config "$tmp/no-such.conf"
# Without --db or ZIZHI_DB: data/zizhi.db of the working directory.
mkdir "$tmp/cwd"
cwd="$tmp/cwd"
ok 1 "zizhi sweep: lock: No such file or directory" sweep
cwd=
printf 'smtp_url = smtp://127.0.0.1:1\n# the sender\nbogus = 1\n' >"$tmp/m.conf"
ok 1 "zizhi sweep: $tmp/m.conf:3: unknown key \"bogus\"" \
    sweep --db "$db" --config "$tmp/m.conf"
printf 'smtp_url = http://127.0.0.1:1\nsmtp_from = zizhi@example.cn\n' >"$tmp/m.conf"
ok 1 "zizhi sweep: smtp_url must start with smtp:// or smtps://" \
    sweep --db "$db" --config "$tmp/m.conf"
printf 'smtp_url = smtp://127.0.0.1:1\nsmtp_from = 资质 <x>\n' >"$tmp/m.conf"
ok 1 "zizhi sweep: smtp_from must be a plain address (name@example.org)" \
    sweep --db "$db" --config "$tmp/m.conf"
printf 'smtp_url = smtp://127.0.0.1:1\nsmtp_from = zizhi@example.cn\nsmtp_timeout = 0\n' >"$tmp/m.conf"
ok 1 "zizhi sweep: $tmp/m.conf:3: smtp_timeout: expected seconds 1..3600" \
    sweep --db "$db" --config "$tmp/m.conf"
# With SMTP configured (a port nobody listens on): the run still ends
# well, and says nothing of a missing SMTP.
printf 'smtp_url = smtp://127.0.0.1:1\nsmtp_from = zizhi@example.cn\nsmtp_timeout = 2\n' >"$tmp/m.conf"
ok 0 "zizhi sweep 2026-03-02: 0 reminders queued, 0 sent, 0 to retry, 0 failed, 0 pending, 0 purged files deleted" \
    sweep --db "$db" --config "$tmp/m.conf" --now 2026-03-02
check "a sweep with SMTP does not say SMTP is missing" \
    sh -c "! grep -q 'no SMTP' '$tmp/out'"
ok 0 "zizhi sweep 2026-03-02: 0 reminders queued, 0 sent, 0 to retry, 0 failed, 0 pending, 0 purged files deleted (no SMTP configured: messages stay in the outbox)" \
    sweep --db "$db" --now 2026-03-02 --unserved-days 5 --backoff 0
unset ZIZHI_PUBLIC_URL

# --- verify
ok 2 "usage: zizhi verify [--db PATH]" verify --db "$db" extra
ok 2 "usage: zizhi verify [--db PATH]" verify --bogus
ok 2 "zizhi verify: " verify --db "$tmp/empty.db"
ok 0 "zizhi verify: ok, 0 events, head " verify --db "$db"
cp "$db" "$tmp/seeded.db"

# --- seed (its cases feed verify, backup and restore below)
ok 2 "usage: zizhi seed [--db PATH] --cases N [--seed S] [--today YYYY-MM-DD]" \
    seed --db "$tmp/seeded.db"
ok 2 "usage: zizhi seed [--db PATH] --cases N" seed --cases
ok 2 "usage: zizhi seed [--db PATH] --cases N" seed --cases x --db "$db"
ok 2 "usage: zizhi seed [--db PATH] --cases N" seed --cases 1 --seed -4
ok 2 "usage: zizhi seed [--db PATH] --cases N" seed --cases 1 --colour 4
ok 2 "zizhi seed: --today wants a date like 2026-03-15" \
    seed --cases 1 --today 2026-02-30 --db "$db"
ok 1 "(run \`zizhi init --db $tmp/empty.db\` first)" \
    seed --cases 1 --db "$tmp/empty.db"
ok 0 "zizhi seed: 3 cases, " \
    seed --cases 3 --seed 7 --today 2026-03-02 --db "$tmp/seeded.db"
check "seed makes three cases" \
    test "$(sqlite3 "$tmp/seeded.db" "SELECT count(*) FROM cases")" = 3
# A bigger one reaches the later stages (certificates, appeals...).
cp "$db" "$tmp/big.db"
ok 0 "zizhi seed: 80 cases, " \
    seed --cases 80 --seed 11 --today 2026-03-02 --db "$tmp/big.db"
ok 0 "zizhi verify: ok, " verify --db "$tmp/big.db"
# Its reminders, queued and tried over an SMTP that does not answer:
# each stays to be tried again; a later day queues more.
ok 0 "zizhi sweep 2026-03-03: 6 reminders queued, 0 sent, 8 to retry, 0 failed, 8 pending, 0 purged files deleted" \
    sweep --public-url https://zizhi.example.cn --db "$tmp/big.db" --config "$tmp/m.conf" --now 2026-03-03
ok 0 "zizhi sweep 2026-03-20: 5 reminders queued, 0 sent, 0 to retry, 0 failed, 14 pending, 0 purged files deleted (no SMTP configured" \
    sweep --public-url https://zizhi.example.cn --db "$tmp/big.db" --now 2026-03-20
ok 0 "zizhi verify: ok, " verify --db "$tmp/seeded.db"
cp "$tmp/seeded.db" "$tmp/tampered.db"
sqlite3 "$tmp/tampered.db" "DROP TRIGGER event_no_update;
    UPDATE event SET reason = reason || 'x' WHERE id = 2"
ok 1 "zizhi verify: BROKEN at event 2: its hash does not match" \
    verify --db "$tmp/tampered.db"
cp "$tmp/seeded.db" "$tmp/moved.db"
sqlite3 "$tmp/moved.db" "UPDATE cases SET status = 'withdrawn'
    WHERE id = (SELECT min(case_id) FROM event)" 2>/dev/null
ok 1 "zizhi verify: BROKEN at case " verify --db "$tmp/moved.db"

# --- backup and restore
ok 2 "usage: zizhi backup FILE [--force] [--db PATH]" backup --db "$db"
ok 2 "usage: zizhi backup FILE [--force] [--db PATH]" backup a b --db "$db"
ok 1 "zizhi backup: $db exists; choose a new name" backup "$db" --db "$db"
ok 1 "zizhi backup: $db exists; choose a new name" \
    backup "$db" --force --db "$db"
ok 1 "" backup "$tmp/b1.db" --db "$tmp/none.db"
check "a backup of a missing database leaves no file" \
    test ! -e "$tmp/b1.db" -a ! -e "$tmp/none.db"
ok 1 "zizhi backup: the directory $tmp/bk does not exist: create it first" \
    backup "$tmp/bk/b.db" --db "$tmp/seeded.db"
mkdir "$tmp/bk"
ok 0 "files in $tmp/bk/files: 1 copied, 0 already there" \
    backup "$tmp/bk/b.db" --db "$tmp/seeded.db"
ok 1 "zizhi backup: $tmp/bk/b.db exists; choose a new name (or --force to replace an old backup)" \
    backup "$tmp/bk/b.db" --db "$tmp/seeded.db"
ok 0 "files in $tmp/bk/files: 0 copied, 1 already there" \
    backup "$tmp/bk/b.db" --force --db "$tmp/seeded.db"
ok 2 "usage: zizhi restore FILE [--force] [--db PATH]" restore --db "$db"
ok 1 "zizhi restore: $tmp/bk/b.db is the target itself" \
    restore "$tmp/bk/b.db" --db "$tmp/bk/b.db"
ok 1 "" restore "$tmp/bk/none.db" --db "$tmp/r.db"
printf 'not a database at all, not at all, not at all\n' >"$tmp/junk.db"
ok 1 "zizhi" restore "$tmp/junk.db" --db "$tmp/r.db"
check "a failed restore creates no database" test ! -e "$tmp/r.db"
sqlite3 "$tmp/v0.db" "CREATE TABLE t(x)"
ok 1 "zizhi restore: $tmp/v0.db has schema version 0; this zizhi knows 1 to" \
    restore "$tmp/v0.db" --db "$tmp/r.db"
ok 1 "zizhi restore: $db exists; restore to a new path, or add --force to replace it" \
    restore "$tmp/bk/b.db" --db "$db"
ok 0 "zizhi restore: $tmp/r.db restored from $tmp/bk/b.db: integrity ok, 3 cases" \
    restore "$tmp/bk/b.db" --db "$tmp/r.db"
ok 0 "zizhi verify: ok, " verify --db "$tmp/r.db"
ok 0 "restored from $tmp/bk/b.db: integrity ok, 3 cases" \
    restore "$tmp/bk/b.db" --force --db "$tmp/r.db"
# A stored file whose bytes no longer match its name: not copied, and
# the backup says so (exit 1); a restore of that backup wants the file.
f=$(ls "$tmp"/files/*/* | head -n 1)
chmod u+w "$f"
printf 'x' >>"$f"
mkdir "$tmp/bk2"
ok 1 "its bytes do not match its name (damaged), not copied" \
    backup "$tmp/bk2/b.db" --db "$tmp/seeded.db"
grep -qF "zizhi backup: 1 damaged files in $tmp/files, 1 files missing from the backup" "$tmp/err"
check "the damaged backup counts the damaged and the missing file" test $? -eq 0
ok 1 "zizhi restore: 1 files named in $tmp/bk2/b.db are not in $tmp/bk2/files; copy them there first" \
    restore "$tmp/bk2/b.db" --db "$tmp/r2.db"
check "a restore that wants files creates no database" test ! -e "$tmp/r2.db"

# --- import certificates
ok 2 "import certificates [--db PATH] FILE.csv" import --db "$db"
ok 2 "import certificates [--db PATH] FILE.csv" import licences x.csv --db "$db"
ok 2 "zizhi import: $tmp/none.csv: No such file or directory" \
    import certificates "$tmp/none.csv" --db "$db"
printf 'number,org_name,uscc,issued_on,expires_on,status\n' >"$tmp/head.csv"
ok 2 "zizhi import: " import certificates "$tmp/head.csv" --db "$tmp/empty.db"
printf 'number,org_name,uscc,issued_on,expires_on,status\nX,,,2020-13-01,,maybe\n' \
    >"$tmp/bad.csv"
ok 1 "zizhi import: $tmp/bad.csv: 1 bad rows; nothing imported" \
    import certificates "$tmp/bad.csv" --db "$db"
grep -q "^$tmp/bad.csv:2: " "$tmp/err"
check "a bad row is named by its line" test $? -eq 0
ok 0 "zizhi import: $tmp/head.csv: 0 certificates: 0 new, 0 unchanged" \
    import certificates "$tmp/head.csv" --db "$db"

# --- user add
ok 2 "usage: zizhi user add [--db PATH] --role ROLE" user
ok 2 "usage: zizhi user add [--db PATH] --role ROLE" user remove
ok 2 "usage: zizhi user add [--db PATH] --role ROLE" user add --db "$db" --role
ok 2 "usage: zizhi user add [--db PATH] --role ROLE" \
    user add --db "$db" --role lead --email a@example.cn
ok 2 "usage: zizhi user add [--db PATH] --role ROLE" \
    user add --db "$db" --colour red --email a@example.cn
ok 2 "zizhi user add: --role must be one of lead, assessor, expert, cert_staff, supervisor, admin (applicants register themselves)" \
    user add --db "$db" --role applicant --email a@example.cn --name 甲
ok 2 "zizhi user add: --role must be one of" \
    user add --db "$db" --role king --email a@example.cn --name 甲
ok 2 "zizhi user add: give the password on standard input (one line, 12 to 1024 characters)" \
    user add --db "$db" --role lead --email a@example.cn --name 甲
printf 'short\n' >"$tmp/in"
ok 3 "zizhi user add: 密码长度须为 12 到 1024 个字符" \
    user add --db "$db" --role lead --email a@example.cn --name 甲
printf 'a-long-enough-password-1\n' >"$tmp/in"
ok 1 "zizhi user add: " \
    user add --db "$tmp/empty.db" --role lead --email a@example.cn --name 甲
ok 0 "zizhi user add: created lead2@example.cn (lead), account " \
    user add --db "$db" --role lead --email lead2@example.cn --name 李二
ok 3 "zizhi user add: " \
    user add --db "$db" --role assessor --email lead2@example.cn --name 李二
export ZIZHI_DB="$db"
ok 0 "zizhi user add: created exp@example.cn (expert), account " \
    user add --role expert --email exp@example.cn --name 赵三
unset ZIZHI_DB
: >"$tmp/in"

# --- intake (its options are tests/intake_cli.sh's)
ok 0 "zizhi intake paper" intake help
ok 2 "zizhi intake paper" intake paper --title x --db "$db"
ok 2 "zizhi intake paper" intake requirement list --colour --db "$db"
ok 1 "zizhi intake: " intake paper --db "$tmp/empty.db"
ok 1 "zizhi intake: " intake requirement list --db "$missing"

echo "cli errors: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
