#!/usr/bin/env bash
# run.sh - the whole PMIF benchmark suite in one command, one table out.
#
#   bash bench/run.sh
#
# Builds nothing: it uses the binaries in BUILD_DIR (default build-bench,
# made by `cmake -S . -B build-bench -DPMIF_BENCH=ON && cmake --build
# build-bench`).  For each scheduling it makes a temp data dir, runs
# `pmifd init` (with a framework of 10,000 generated measures) and `pmifd
# serve` there, starts the echo floor and the gRPC peer, runs every
# benchmark against them in the same run, kills pmifd with
# SIGKILL during writes to check that no acknowledged write is lost, and
# runs `pmifd check`.  Then it prints one Markdown table (bench/table.awk).
#
# Environment:
#   BUILD_DIR     build directory (default: build-bench in the repository)
#   BENCH_SCHED   default | pinned | both (default both; pinned = every
#                 process under `taskset -c 0`)
#   BENCH_QUICK=1 a ~1-minute smoke run (fewer samples, 1 and 8 clients,
#                 100k CSV rows, default scheduling only unless BENCH_SCHED)
#   BENCH_TMP     where the temp dirs go (default /var/tmp: a disk, so fsync
#                 is real; tmpfs would flatter every durable figure)
#   BENCH_OUT     keep the raw result lines in this file
#   BENCH_KEEP=1  keep the temp dir (data, logs) for inspection
set -u
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD_DIR:-$SRC/build-bench}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
PMIFD=$BUILD/server/pmifd
PMIF=$BUILD/client/pmif
BENCH=$BUILD/bench/pmif-bench
GRPC=$BUILD/bench/grpc/grpc-echo
QUICK=${BENCH_QUICK:-0}
PASSWORD='bench admin password'

for b in "$PMIFD" "$PMIF" "$BENCH"; do
	if [ ! -x "$b" ]; then
		echo "run.sh: $b is missing: build first with" >&2
		echo "  cmake -S $SRC -B $BUILD -DPMIF_BENCH=ON && cmake --build $BUILD -j" >&2
		exit 1
	fi
done

if [ "$QUICK" = 1 ]; then
	SCHEDS=${BENCH_SCHED:-default}
	N_LAT=1000 ROUNDS=2 CLIENTS=1,8 SECS=1 WARM=0.2 HS_N=100 HS_LOGINS=2 CSV_ROWS=100000 LMDB_N=1000
	REPORT_N=2
else
	SCHEDS=${BENCH_SCHED:-both}
	N_LAT=5000 ROUNDS=3 CLIENTS=1,8,32,128 SECS=3 WARM=0.3 HS_N=300 HS_LOGINS=10 CSV_ROWS=1000000 LMDB_N=3000
	REPORT_N=5
fi
[ "$SCHEDS" = both ] && SCHEDS="default pinned"

T=$(mktemp -d "${BENCH_TMP:-/var/tmp}/pmif-bench.XXXXXX")
RES=${BENCH_OUT:-$T/results.txt}
: >"$RES"
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "run.sh: kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null

free_port() {
	python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}
say() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# record SCHED: tag each result line and keep it
record() { sed -u "s/\$/ sched=$1/" | tee -a "$RES" | sed -u 's/^/    /' >&2; }

fstype=$(stat -f -c %T "$T" 2>/dev/null)
[ "$fstype" = tmpfs ] && say "warning: $T is on tmpfs: fsync costs nothing there; set BENCH_TMP to a disk"

# The CSV and the framework are the same for every pass: the CSV's values
# are for the generated measures (100 rows each), which fw-gen spreads over
# objectives in sizes 10, 100, 1,000 and the rest for the size series.
N_MEASURES=$(((CSV_ROWS + 99) / 100))
SIZES="PO3:10,PO4:100,PO5:1000,PO1:*"
[ "$N_MEASURES" -le 1110 ] && SIZES="PO3:10,PO4:100,PO1:*"
say "generating $CSV_ROWS CSV rows and a framework with $N_MEASURES more measures"
"$BENCH" csv-gen "$T/values.csv" --rows "$CSV_ROWS" | record all
"$BENCH" fw-gen "$SRC/deploy/framework/gateshead.json" "$T/framework.json" \
	--measures "$N_MEASURES" --sizes "$SIZES" | record all

run_pass() {
	local sched=$1 RUN=() D=$T/$1
	[ "$sched" = pinned ] && RUN=(taskset -c 0)
	mkdir -p "$D"
	say "== pass: $sched scheduling${RUN:+ (${RUN[*]})}"

	# with the framework where this build's init takes one (measure show, the
	# scorecard and the import need it), else a bare store
	printf '%s\n' "$PASSWORD" | "$PMIFD" init --data "$D/data" --admin admin --password-stdin \
		--framework "$T/framework.json" >"$D/init.log" 2>&1 || {
		say "init with the generated framework failed ($(tail -1 "$D/init.log")): a bare store"
		rm -rf "$D/data"
		printf '%s\n' "$PASSWORD" | "$PMIFD" init --data "$D/data" --admin admin \
			--password-stdin >"$D/init.log" 2>&1 ||
			{ say "pmifd init failed:"; cat "$D/init.log" >&2; return 1; }
	}
	local fp url echo_url grpc_addr pmifd_pid echo_pid grpc_pid=
	fp=$("$PMIFD" fingerprint --data "$D/data")
	url=tcp://127.0.0.1:$(free_port)
	echo_url=tcp://127.0.0.1:$(free_port)
	grpc_addr=127.0.0.1:$(free_port)

	# --login-window 1: the suite logs in 128+ times as one user; the
	# throttle (10 checks per user per window) would otherwise refuse it
	"${RUN[@]}" "$PMIFD" serve --data "$D/data" --listen "$url" --login-window 1 \
		>"$D/pmifd.log" 2>&1 &
	pmifd_pid=$!
	PIDS+=("$pmifd_pid")
	"${RUN[@]}" "$BENCH" echo-server "$echo_url" >"$D/echo.log" 2>&1 &
	echo_pid=$!
	PIDS+=("$echo_pid")
	if [ -x "$GRPC" ]; then
		"${RUN[@]}" "$GRPC" server "$grpc_addr" >"$D/grpc.log" 2>&1 &
		grpc_pid=$!
		PIDS+=("$grpc_pid")
	fi
	for _ in $(seq 1 100); do
		"$PMIF" --server "$url" --server-key "$fp" --timeout 1 health >/dev/null 2>&1 && break
		sleep 0.1
	done
	sleep 1
	"$BENCH" rss --pid "$pmifd_pid" --label idle | record "$sched"

	export BENCH_PASSWORD=$PASSWORD
	local common=(--pmif "$url" --fp "$fp" --user admin)
	say "read latency"
	"${RUN[@]}" "$BENCH" read "${common[@]}" --echo "$echo_url" --n "$N_LAT" --rounds "$ROUNDS" |
		record "$sched"
	# the floor and the peer carry WhoAmI's bytes
	local sizes req rep
	sizes=$(grep "name=read.latency method=WhoAmI .*sched=$sched" "$RES" | tail -1)
	req=$(sed -n 's/.* req_bytes=\([0-9]*\).*/\1/p' <<<"$sizes")
	rep=$(sed -n 's/.* rep_bytes=\([0-9]*\).*/\1/p' <<<"$sizes")
	: "${req:=90}" "${rep:=73}"
	say "echo floor ($req B out, $rep B back)"
	"${RUN[@]}" "$BENCH" floor --echo "$echo_url" --req "$req" --rep "$rep" --n "$N_LAT" |
		record "$sched"
	if [ -n "$grpc_pid" ]; then
		say "gRPC peer"
		"${RUN[@]}" "$GRPC" latency "$grpc_addr" --req "$req" --rep "$rep" --n "$N_LAT" | record "$sched"
		"${RUN[@]}" "$GRPC" tput "$grpc_addr" --req "$req" --rep "$rep" --clients "$CLIENTS" \
			--seconds "$SECS" --warmup "$WARM" --pid "$grpc_pid" | record "$sched"
	else
		echo "name=grpc.skipped reason=\"grpc-echo not built: apt-get install libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev, then reconfigure\"" |
			record "$sched"
	fi
	say "handshakes and logins"
	"${RUN[@]}" "$BENCH" handshake "${common[@]}" --n "$HS_N" --logins "$HS_LOGINS" | record "$sched"
	say "LMDB floors"
	"${RUN[@]}" "$BENCH" lmdb --dir "$D/lmdb" --n "$LMDB_N" --seconds "$SECS" | record "$sched"
	rm -rf "$D/lmdb"
	say "CSV import ($CSV_ROWS rows)"
	"$BENCH" rss --pid "$pmifd_pid" --label preimport | record "$sched"
	"${RUN[@]}" "$BENCH" csv-import "$T/values.csv" "${common[@]}" --rows "$CSV_ROWS" --tmp "$D" |
		record "$sched"
	sleep 1
	"$BENCH" rss --pid "$pmifd_pid" --label import | record "$sched"
	"${RUN[@]}" "$BENCH" sqlite-import "$T/values.csv" "$D/sqlite.db" | record "$sched"
	rm -f "$D/sqlite.db"
	# every report call computed: a pmifd without the report cache (the
	# read-latency scorecard row above is the repeat a member sees, answered
	# from the cache while nothing changes)
	kill -TERM "$pmifd_pid" 2>/dev/null
	wait "$pmifd_pid" 2>/dev/null
	"${RUN[@]}" "$PMIFD" serve --data "$D/data" --listen "$url" --login-window 1 --report-cache 0 \
		>>"$D/pmifd.log" 2>&1 &
	pmifd_pid=$!
	PIDS+=("$pmifd_pid")
	for _ in $(seq 1 100); do
		"$PMIF" --server "$url" --server-key "$fp" --timeout 1 health >/dev/null 2>&1 && break
		sleep 0.1
	done
	say "scorecard time vs framework size (report cache off)"
	"${RUN[@]}" "$BENCH" report-size "${common[@]}" --period 2023-24-Q4 --sizes "$SIZES" \
		--total "$N_MEASURES" --n "$REPORT_N" | record "$sched"
	say "throughput: reads and durable writes with $CLIENTS clients, then SIGKILL during writes"
	"${RUN[@]}" "$BENCH" load "${common[@]}" --echo "$echo_url" --data "$D/data" \
		--pid "$pmifd_pid" --echo-pid "$echo_pid" --clients "$CLIENTS" --seconds "$SECS" \
		--warmup "$WARM" --rounds "$ROUNDS" --lmdb-dir "$D/lmdb-floor" --crash | record "$sched"
	# normally already killed by the crash test; if load stopped early, stop it here
	kill -TERM "$pmifd_pid" 2>/dev/null
	wait "$pmifd_pid" 2>/dev/null
	local check entries status=broken
	check=$("$PMIFD" check --data "$D/data" 2>&1)
	entries=$(sed -n 's/^audit chain intact: \([0-9]*\) entries$/\1/p' <<<"$check")
	[ -n "$entries" ] && status=intact
	echo "name=check status=$status entries=${entries:-0}" | record "$sched"
	kill -TERM "$echo_pid" ${grpc_pid:+"$grpc_pid"} 2>/dev/null
	wait "$echo_pid" ${grpc_pid:+"$grpc_pid"} 2>/dev/null
	PIDS=()
}

START=$(date +%s)
for sched in $SCHEDS; do
	run_pass "$sched" || exit 1
done

echo
echo "PMIF benchmarks, $(date -u +%Y-%m-%d) on $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), Linux $(uname -r), $(($(date +%s) - START)) s"
echo
grep -v ' sched=all$' "$RES" | awk -f "$SRC/bench/table.awk"
echo
[ -n "${BENCH_OUT:-}" ] && echo "raw results: $RES"
exit 0
