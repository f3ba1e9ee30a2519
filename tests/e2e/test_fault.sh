#!/usr/bin/env bash
# End-to-end: storage faults injected into pmifd (tests/fault, LD_PRELOAD).
# For N = 1, 2, ...: while a control file exists, the Nth write or sync on
# the data directory and every one after fails with EIO or ENOSPC.  A write
# made then is never acknowledged: pmif exits 8 with the documented
# sentence and the value is not stored (or, when the fault came too late
# for it, exit 0 and stored).  Reads go on, 'pmif health' says writes are
# refused; once the fault clears writes succeed and 'pmifd check' is clean.
. "$(dirname "$0")/lib.sh"

SHIM=$BIN/tests/fault/pmif-fault.so
[ -f "$SHIM" ] || { echo "no $SHIM: build the tests"; exit 1; }
CTL=$T/fault-on
export PMIF_FAULT_DIR=$DATA PMIF_FAULT_CONTROL=$CTL

value_of() { # the stored FSM-UPTAKE for 2022-23-Q4, borough
	as admin --json value get FSM-UPTAKE --period 2022-23-Q4 --locality borough 2>/dev/null |
		python3 -c 'import json,sys
def find(d):
    if isinstance(d, dict):
        if isinstance(d.get("value"), (int, float)): return d["value"]
        for x in d.values():
            r = find(x)
            if r is not None: return r
    if isinstance(d, list):
        for x in d:
            r = find(x)
            if r is not None: return r
v = find(json.load(sys.stdin))
print("" if v is None else ("%g" % v))' 2>/dev/null
}

refused=0
deadline=$((SECONDS + 60))
# COUNT=0: every call from the Nth until the control file goes; COUNT=1:
# only the Nth (the fault clears by itself)
for run in 0:1 0:2 0:3 0:5 0:8 0:13 0:21 1:1 1:2 1:4 1:8; do
	export PMIF_FAULT_COUNT=${run%%:*}
	N=${run#*:}
	[ $SECONDS -lt $deadline ] || { echo "# time bound reached at N=$N"; break; }
	if [ $(((N + PMIF_FAULT_COUNT) % 2)) -eq 1 ]; then export PMIF_FAULT_ERRNO=ENOSPC; want="disk is full"; else
		export PMIF_FAULT_ERRNO=EIO; want="disk failed"; fi
	export PMIF_FAULT_AT=$N
	SERVER_PRELOAD=$SHIM start_server
	login_as admin "$ADMIN_PW"
	before=$(value_of)
	v="8$((N % 10)).5"
	touch "$CTL"
	as admin value set FSM-UPTAKE 2022-23-Q4 "$v" --note "fault sweep" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 8 ]; then
		refused=$((refused + 1))
		ok "N=$N count=$PMIF_FAULT_COUNT $PMIF_FAULT_ERRNO: the write is refused (exit 8)"
		check_fixed "$want" "$(cat "$T/err")" "N=$N: the sentence says what happened"
		check_fixed "nothing was saved; tell the administrator" "$(cat "$T/err")" "N=$N: and what to do"
		check_exit 0 "N=$N: health answers" -- as admin health
		check_fixed "writes: refused since" "$OUT" "N=$N: health says writes are refused"
		[ "$PMIF_FAULT_COUNT" -eq 1 ] && check_fixed "refused since" "$OUT" "N=$N: until a commit succeeds"
		got=$(value_of)
		[ "$got" = "$before" ] && ok "N=$N: reads go on, the value is unchanged ($got)" ||
			not_ok "N=$N: value '$got' after a refused write, was '$before'"
	elif [ "$rc" -eq 0 ]; then
		got=$(value_of)
		[ "$got" = "$v" ] && ok "N=$N count=$PMIF_FAULT_COUNT: the fault came after the commit; acknowledged and stored" ||
			not_ok "N=$N: acknowledged but stored '$got', not $v"
	else
		not_ok "N=$N: exit $rc"; sed 's/^/#   /' "$T/err" | head -3
	fi
	# a window of one call clears itself: the next write must succeed as is
	[ "$PMIF_FAULT_COUNT" -eq 0 ] && rm -f "$CTL"
	v2="9$((N % 10)).$PMIF_FAULT_COUNT$((N % 10))"
	check_exit 0 "N=$N: after the fault clears the write succeeds" -- as admin value set FSM-UPTAKE 2022-23-Q4 "$v2" --note "after the fault"
	got=$(value_of)
	[ "$got" = "$v2" ] && ok "N=$N: and is stored" || not_ok "N=$N: stored '$got', not $v2"
	check_exit 0 "N=$N: health answers" -- as admin health
	check_fixed "writes: accepted" "$OUT" "N=$N: health says writes are accepted again"
	stop_server
	rm -f "$CTL"
	check_exit 0 "N=$N: pmifd check is clean" -- "$PMIFD" check --data "$DATA"
done
[ "$refused" -gt 0 ] && ok "$refused of the sweep's writes were refused" || not_ok "no write was ever refused"
log=$(cat "$T/server.log")
check_grep "group commit failed.*errno (5|28)" "$log" "the server log has the true errno"
finish
