#!/usr/bin/env bash
# Crash-safety drill: clients write continuously while pmifd is killed with
# SIGKILL at random moments DRILL_KILLS times (default 20) and restarted on
# the same data dir.  Afterwards every acknowledged write must be in the
# store, exactly once in the audit trail, pmifd check clean, the audit chain
# verified, and no stale LMDB readers.  Sessions outlive the restarts, so
# no client logs in again; a write that got no answer is sent again with
# the same request id (pmif --request-id) until it is answered: the server
# answers a resend of a write it already made from its durable request-id
# table instead of applying it twice.
. "$(dirname "$0")/../e2e/lib.sh"
KILLS=${DRILL_KILLS:-20}
CLIENTS=${DRILL_CLIENTS:-3}
start_time=$(date +%s)

framework_with_measures 8 "DRILL-%d" "Drill measure %d" "$T/framework.json"
INIT_ARGS="--framework $T/framework.json"
start_server
PORT_FIXED=$PORT
login_as admin "$ADMIN_PW"
for c in $(seq 1 "$CLIENTS"); do printf '%s\n' "$ADMIN_PW" | as "c$c" login admin --password-stdin >/dev/null; done

serve_after_kill() {
	"$PMIFD" serve --data "$DATA" --listen "tcp://127.0.0.1:$PORT_FIXED" --quiet >>"$T/server.log" 2>&1 &
	SERVER_PID=$!
}

# client C: one key per write (measure DRILL-C, successive periods), distinct
# values; each write keeps its request id until it is answered
client() {
	local c=$1 i=0 y q rid
	rid=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
	while [ ! -f "$T/stop" ] && [ $i -lt 400 ]; do
		y=$((2019 + i / 4)); q=$((i % 4 + 1))
		local p="$y-$(printf %02d $(((y + 1) % 100)))-Q$q" v=$((c * 1000 + i))
		if as "c$c" --timeout 2 --request-id "$rid" value set "DRILL-$c" "$p" "$v" >/dev/null 2>"$T/c$c.err"; then
			echo "DRILL-$c $p $v" >>"$T/acked-$c"
			i=$((i + 1))
			rid=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
		elif grep -qiE "log ?in|session" "$T/c$c.err"; then
			# a session lost to a restart: the drill fails on any of these
			sed "s/^/c$c: /" "$T/c$c.err" >>"$T/relogins"
			printf '%s\n' "$ADMIN_PW" | as "c$c" --timeout 2 login admin --password-stdin >/dev/null 2>&1
		else
			# no answer (the server was killed): the same write again, same id
			echo "c$c" >>"$T/resends"
			sleep 0.05
		fi
	done
}
pids=()
for c in $(seq 1 "$CLIENTS"); do client "$c" & pids+=($!); done

for k in $(seq 1 "$KILLS"); do
	sleep "0.$((RANDOM % 9 + 1))"
	kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null
	serve_after_kill
	sleep 0.3
done
sleep 1
touch "$T/stop"
wait "${pids[@]}"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null
start_server_again() { "$PMIFD" serve --data "$DATA" --listen "tcp://127.0.0.1:$PORT_FIXED" >>"$T/server.log" 2>&1 & SERVER_PID=$!; sleep 1; }
start_server_again
login_as admin "$ADMIN_PW"

cat "$T"/acked-* >"$T/acked" 2>/dev/null
acked=$(wc -l <"$T/acked")
[ "$acked" -gt 0 ] && ok "$acked writes acknowledged across $KILLS kills" || not_ok "no write acknowledged"
: >"$T/audit.txt"; after=0
while as admin admin audit --limit 1000 --after "$after" >"$T/audit-page" 2>&1 && [ -s "$T/audit-page" ]; do
	cat "$T/audit-page" >>"$T/audit.txt"
	next=$(awk 'END{print $1}' "$T/audit-page"); [ "$next" -gt "$after" ] 2>/dev/null || break; after=$next
done
missing=0 dup=0 verified=0
while read -r m p v; do
	if as admin value history "$m" "$p" 2>/dev/null | grep -qE "(^|[^0-9])$v([^0-9]|$)"; then
		verified=$((verified + 1))
	else missing=$((missing + 1)); echo "# missing: $m $p $v"; fi
	# one key per write: its audit entry is the ValueSet on value/M/P/borough
	n=$(grep ValueSet "$T/audit.txt" | grep -cF "value/$m/$p/borough")
	[ "$n" -eq 1 ] || { dup=$((dup + 1)); echo "# audit has $n entries for $m $p $v"; }
done <"$T/acked"
[ "$missing" -eq 0 ] && ok "every acknowledged write is present ($verified verified)" || not_ok "$missing acknowledged writes missing"
[ "$dup" -eq 0 ] && ok "each acknowledged write is in the audit trail exactly once" || not_ok "$dup writes not exactly once in the audit"
relogins=$(cat "$T/relogins" 2>/dev/null | wc -l)
resends=$(cat "$T/resends" 2>/dev/null | wc -l)
[ "$relogins" -eq 0 ] && ok "no client had to log in again across $KILLS kills" ||
	{ not_ok "$relogins session losses across the kills"; head -5 "$T/relogins" | sed 's/^/#   /'; }
# how many writes went unanswered depends on where the kills fell (on a busy
# machine, none may): a resend answered from the request-id table is
# checked deterministically in tests/e2e/test_foundation.sh
echo "# $resends writes sent again with their request id after a kill"
check_exit 0 "pmifd check is clean" -- "$PMIFD" check --data "$DATA"
check_exit 0 "audit chain verifies" -- as admin admin audit verify
stop_server
readers=$(mdb_stat -r "$DATA" 2>&1)
check_fixed "(no active readers)" "$readers" "no stale readers in the LMDB reader table (mdb_stat -r)"
echo "# kills=$KILLS acknowledged=$acked verified=$verified relogins=$relogins resends=$resends seconds=$(($(date +%s) - start_time))"
finish
