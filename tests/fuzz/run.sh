#!/bin/sh
# run.sh - run every libFuzzer target for a while on a copy of its seeds.
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]
#
# BUILD_DIR is a tree configured with -DCMAKE_C_COMPILER=clang -DPMIF_FUZZ=ON
# and already built; this script builds nothing.  Each target (default: all
# three) runs for SECONDS (default 60) on a fresh copy of its generated seed
# corpus, with its dictionary, and the script prints per target the inputs
# run and inputs per second.  It exits 1 if any target found a crash, leak,
# timeout or failed property (the input is kept as an artifact), 2 on a
# usage or setup error.
#
# Extra libFuzzer flags can be passed in FUZZ_FLAGS, e.g.
#   FUZZ_FLAGS='-jobs=2 -workers=2' tests/fuzz/run.sh build-fuzz 300
set -u

usage() {
	echo "usage: $0 BUILD_DIR [SECONDS] [TARGET...]" >&2
	exit 2
}

[ $# -ge 1 ] || usage
build=$1
shift
seconds=60
if [ $# -ge 1 ]; then
	seconds=$1
	shift
fi
case $seconds in
'' | *[!0-9]*) usage ;;
esac
targets=${*:-fuzz_frame fuzz_handshake fuzz_dispatch}

dir=$build/tests/fuzz
if [ ! -d "$dir" ]; then
	echo "run.sh: no '$dir': configure with -DCMAKE_C_COMPILER=clang -DPMIF_FUZZ=ON and build first" >&2
	exit 2
fi
# the build generates the seeds; regenerate them if they were removed
if [ ! -d "$dir/corpus" ]; then
	if [ -x "$dir/make_corpus" ]; then
		"$dir/make_corpus" "$dir/corpus" >/dev/null || exit 2
	else
		echo "run.sh: no seed corpus in '$dir/corpus' and no make_corpus to make one" >&2
		exit 2
	fi
fi

runs=$dir/corpus-run
logs=$dir/logs
artifacts=$dir/artifacts
mkdir -p "$runs" "$logs" "$artifacts" || exit 2

final_stat() { # stat NAME LOG: a value from libFuzzer's -print_final_stats
	sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

failed=0
summary=""
for t in $targets; do
	bin=$dir/$t
	if [ ! -x "$bin" ]; then
		echo "run.sh: no target '$bin'" >&2
		exit 2
	fi
	rm -rf "${runs:?}/$t"
	mkdir -p "$runs/$t"
	if [ -d "$dir/corpus/$t" ]; then
		cp "$dir/corpus/$t"/* "$runs/$t"/ 2>/dev/null
	fi
	dict=
	[ -f "$dir/corpus/$t.dict" ] && dict=-dict=$dir/corpus/$t.dict
	log=$logs/$t.log
	touch "$runs/$t.start"
	echo "== $t: $seconds s (log: $log)"
	# shellcheck disable=SC2086 # FUZZ_FLAGS and dict are word lists
	"$bin" -max_total_time="$seconds" -rss_limit_mb=2560 -timeout=60 \
		-print_final_stats=1 -artifact_prefix="$artifacts/$t-" $dict ${FUZZ_FLAGS:-} \
		"$runs/$t" >"$log" 2>&1
	rc=$?
	execs=$(final_stat number_of_executed_units "$log")
	rate=$(final_stat average_exec_per_sec "$log")
	rss=$(final_stat peak_rss_mb "$log")
	if [ $rc -ne 0 ]; then
		failed=1
		status="FAILED (exit $rc)"
		echo "---- $t failed; end of its log:"
		tail -n 60 "$log"
		find "$artifacts" -name "$t-*" -newer "$runs/$t.start" | sed 's/^/artifact: /'
	else
		status=ok
	fi
	line=$(printf '%-16s %-16s execs %-12s exec/s %-8s peak rss %s MB' "$t" "$status" \
		"${execs:-n/a}" "${rate:-n/a}" "${rss:-n/a}")
	echo "$line"
	summary="$summary$line
"
done

echo "== summary ($seconds s per target)"
printf '%s' "$summary"
exit $failed
