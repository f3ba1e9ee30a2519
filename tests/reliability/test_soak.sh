#!/usr/bin/env bash
# The soak (issue 13): SOAK_CLIENTS clients (64) each mixing reads and
# durable writes 9:1 against the real pmifd for SOAK_SECONDS (45 here; the
# full run in docs/OPERATIONS.md is 600), on a store of SOAK_MEASURES (1,000)
# generated measures plus the council's, with 100 imported values each.
# pmif-bench soak prints a line per SOAK_INTERVAL seconds and fails on any
# error, on an acknowledged write not in the store exactly once, on p99
# growing more than 2x from the first third to the last, or on the server's
# own memory growing more than 10% after the warm-up (see bench/soak.c for
# the exact rules).  Then pmifd check must be clean and pmifd must stop
# cleanly (under ASan: without a leak report).
#
# Under AddressSanitizer: 16 clients for 30 s, and no RSS verdict (ASan's
# quarantine holds freed memory on purpose); the leak check at exit stays.
. "$(dirname "$0")/../e2e/lib.sh"
BENCH=$BIN/bench/pmif-bench
start_time=$(date +%s)
asan=0
ldd "$PMIFD" 2>/dev/null | grep -q libasan && asan=1
if [ "$asan" = 1 ]; then
	CLIENTS=${SOAK_CLIENTS:-16} SECS=${SOAK_SECONDS:-30} RSS=--no-rss-check
else
	CLIENTS=${SOAK_CLIENTS:-64} SECS=${SOAK_SECONDS:-45} RSS=
fi
INTERVAL=${SOAK_INTERVAL:-5}
MEASURES=${SOAK_MEASURES:-1000}
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null

"$BENCH" fw-gen "$SRC/deploy/framework/gateshead.json" "$T/framework.json" \
	--measures "$MEASURES" --sizes PO3:10,PO4:100,PO1:* >"$T/gen.out" 2>&1 &&
	"$BENCH" csv-gen "$T/values.csv" --rows $((MEASURES * 100)) >>"$T/gen.out" 2>&1 ||
	{ cat "$T/gen.out"; not_ok "generating the framework and values"; finish; exit 1; }
INIT_ARGS="--framework $T/framework.json"
# --login-window 1: the clients log in as one user, more than the default
# throttle's 10 password checks per 5 minutes
start_server --login-window 1
export BENCH_PASSWORD=$ADMIN_PW
out=$("$BENCH" csv-import "$T/values.csv" --pmif "$PMIF_SERVER" --fp "$FP" --user admin \
	--rows $((MEASURES * 100)) --tmp "$T" 2>&1)
check_grep "status=ok" "$out" "$((MEASURES * 100)) values imported"

"$BENCH" soak --pmif "$PMIF_SERVER" --fp "$FP" --user admin --data "$DATA" \
	--pid "$SERVER_PID" --clients "$CLIENTS" --seconds "$SECS" --interval "$INTERVAL" \
	--measures "$MEASURES" $RSS >"$T/soak.out" 2>&1
rc=$?
sed 's/^/# /' "$T/soak.out"
[ "$rc" -eq 0 ] && ok "soak: $CLIENTS clients, ${SECS} s: every verdict passed" ||
	not_ok "soak: exit $rc ($(sed -n 's/.*name=soak.result .*failed="\([^"]*\)".*/\1/p' "$T/soak.out"))"
for c in errors acks p99 rss; do
	check_grep "check=$c status=pass" "$(grep "name=soak.check check=$c " "$T/soak.out")" "soak verdict: $c"
done
check_exit 0 "pmifd check is clean after the soak" -- "$PMIFD" check --data "$DATA"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
src=$?
SERVER_PID=
[ "$src" -eq 0 ] && ok "pmifd stopped cleanly (exit 0)" || not_ok "pmifd exited $src on SIGTERM"
# (grep the file: a 10-minute soak logs ~450 MB of request lines)
if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error" "$T/server.log"; then
	not_ok "a sanitizer report in the server's log:"
	grep -E -A5 "ERROR: (Address|Leak)Sanitizer|runtime error" "$T/server.log" | head -20 | sed 's/^/#   /'
else ok "no sanitizer report in the server's log"; fi
echo "# clients=$CLIENTS soak_seconds=$SECS asan=$asan total_seconds=$(($(date +%s) - start_time))"
finish
