#!/bin/sh
# run.sh: run the libFuzzer harnesses one after another (tests/fuzz/fuzz.mk).
#
#   sh tests/fuzz/run.sh BUILD SECONDS NAME...          fuzz each for SECONDS
#   sh tests/fuzz/run.sh -regress BUILD 0 NAME...       each file of
#        tests/fuzz/regress/NAME/ and tests/fuzz/seeds/NAME/ once
#
# Fuzzing starts from the seeds and the corpus earlier runs grew in
# BUILD/corpus/NAME; new inputs go there. Crash inputs go to
# BUILD/artifacts/NAME/, the output to BUILD/logs/NAME.log. Every harness
# runs even if one fails; the exit status is 1 if any failed. The last
# lines are one summary per harness.
set -u
regress=0
if [ "${1:-}" = "-regress" ]; then
	regress=1
	shift
fi
build=$1
seconds=$2
shift 2
dir=tests/fuzz
failed=0
summary=""
mkdir -p "$build/logs"
# The request harness's temporary database: in memory when possible, and
# removed even when a crash kept the harness from cleaning up.
shm=/dev/shm
[ -d $shm ] && [ -w $shm ] || shm=${TMPDIR:-/tmp}
FUZZ_TMPDIR=$(mktemp -d "$shm/zizhi-fuzz-run.XXXXXX") || exit 1
export FUZZ_TMPDIR
# A pointer kept to a finished function's stack (a view's key, which the
# template engine does not copy) is caught too; clang's ASan misses it
# by default.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_stack_use_after_return=1
export ASAN_OPTIONS
trap 'rm -rf "$FUZZ_TMPDIR"' EXIT INT TERM

for name in "$@"; do
	bin=$build/fuzz_$name
	log=$build/logs/$name.log
	mkdir -p "$build/corpus/$name" "$build/artifacts/$name"
	if [ $regress = 1 ]; then
		files=$(find "$dir/regress/$name" "$dir/seeds/$name" -type f \
		    2>/dev/null | sort)
		n=$(printf '%s\n' "$files" | grep -c .)
		if [ "$n" = 0 ]; then
			summary="$summary
fuzz-regress: $name: no inputs"
			continue
		fi
		# One process per file, so that every failing input is named.
		bad=""
		: >"$log"
		for f in $files; do
			if ! "$bin" -rss_limit_mb=2048 -timeout=10 \
			    -artifact_prefix="$build/artifacts/$name/" "$f" \
			    >>"$log" 2>&1; then
				bad="$bad $f"
			fi
		done
		if [ -z "$bad" ]; then
			line="fuzz-regress: $name: $n inputs ok"
		else
			line="fuzz-regress: $name: FAILED on$bad (see $log)"
			failed=1
			grep -aE 'ERROR: |invariant failed|^  [^ ]|SUMMARY' "$log" |
			    head -n 30
		fi
		summary="$summary
$line"
		continue
	fi
	dict=""
	[ -f "$dir/$name.dict" ] && dict="-dict=$dir/$name.dict"
	echo "== fuzz $name for ${seconds}s"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
	    -max_len=65536 -print_final_stats=1 $dict \
	    -artifact_prefix="$build/artifacts/$name/" \
	    "$build/corpus/$name" "$dir/seeds/$name" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" |
	    tail -n 1)
	corpus=$(find "$build/corpus/$name" -type f | wc -l)
	if [ $rc = 0 ]; then
		line="fuzz: $name: ${execs:-?} execs in ${seconds}s (${speed:-?}/s), corpus $corpus, ok"
	else
		line="fuzz: $name: FAILED (exit $rc) after ${execs:-?} execs; see $log and $build/artifacts/$name/"
		failed=1
		grep -aE 'ERROR: |invariant failed|SUMMARY|Test unit written|^  [^ ]' \
		    "$log" | head -n 30
	fi
	echo "$line"
	summary="$summary
$line"
done
printf '%s\n' "$summary" | sed '/^$/d'
exit $failed
