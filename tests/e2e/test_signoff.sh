#!/usr/bin/env bash
# End-to-end: signing a period off.  'admin period lock' refuses (exit 7,
# nothing changed) while values await sign-off, naming how many and whose;
# --force locks anyway and the audit entry says so; a fully approved period
# locks without it.  Approving a directorate's Q4 (or the whole period)
# lists the half-year and year it rolls into and what their six-monthly and
# annual measures still lack.  Members and directorate users are refused.
# The expected counts come from the demo CSV and the framework file, not
# from the server.
. "$(dirname "$0")/lib.sh"

# the council's framework plus a six-monthly and an annual CAF measure with
# no values at all, so the roll-up has something missing to name
python3 - "$SRC/deploy/framework/gateshead.json" "$T/framework.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
for mid, freq, byloc in (("SIGNOFF-H", "six-monthly", False), ("SIGNOFF-Y", "annual", True)):
    f["measures"].append({"id": mid, "title": "Sign-off test measure " + freq,
        "objective": "PO1", "kind": "operational", "unit": "count", "polarity": "none",
        "frequency": freq, "directorate": "CAF", "committees": ["FAMILIES-OSC"],
        "by_locality": byloc, "decimals": 0, "source": "test"})
json.dump(f, open(sys.argv[2], "w"))
PY
INIT_ARGS="--framework $T/framework.json --demo"
start_server
login_as admin "$ADMIN_PW"
printf 'officer pw 1234\n' | as admin admin user add olga --role directorate --directorate CAF --password-stdin >/dev/null
printf 'member pw 12345\n' | as admin admin user add max --role member --password-stdin >/dev/null
login_as olga 'officer pw 1234'
login_as max 'member pw 12345'

# expect WHAT [ARGS]: figures computed from the framework and the demo CSV
expect() {
	python3 - "$T/framework.json" "$SRC/deploy/demo/values.csv" "$@" <<'PY'
import csv, json, sys
fw, rows, what, args = json.load(open(sys.argv[1])), list(csv.DictReader(open(sys.argv[2]))), sys.argv[3], sys.argv[4:]
owner = {m["id"]: m["directorate"] for m in fw["measures"]}
order = [d["id"] for d in fw["directorates"]]
if what == "pending":      # "N (CAF a, RD b)" for a period, leaving out directorates in args[1:]
    count = {}
    for r in rows:
        d = owner[r["measure"]]
        if r["period"] == args[0] and d not in args[1:]:
            count[d] = count.get(d, 0) + 1
    print("%d values awaiting sign-off (%s)" % (sum(count.values()),
          ", ".join("%s %d" % (d, count[d]) for d in order if d in count)))
elif what == "count":      # values of a period, of directorate args[1] ("" for all)
    print(sum(1 for r in rows if r["period"] == args[0] and args[1] in ("", owner[r["measure"]])))
elif what == "rollup":     # period frequency measures expected present, for directorate args[0]
    freq = {"": "quarterly", "H": "six-monthly"}
    locs = [l["id"] for l in fw["localities"] if l["id"] != "borough"]
    for period in args[1:]:
        kind = "annual" if len(period) == 7 else "six-monthly" if period[8] == "H" else "quarterly"
        ms = [m for m in fw["measures"] if m["directorate"] == args[0] and m["frequency"] == kind]
        exp = sum(1 + len(locs) if m["by_locality"] else 1 for m in ms)
        have = sum(1 for r in rows if r["period"] == period and owner[r["measure"]] == args[0])
        print("%s %s %s %d %d %d" % (args[0], period, kind, len(ms), exp, have))
PY
}

# the store's state, to show a refusal changed nothing
snapshot() {
	{ as admin --json period list --year 2022-23; as admin --json value get FSM-UPTAKE --period 2022-23-Q4
	  as admin --json report completeness --period 2022-23-Q4; audit_count; } 2>/dev/null | md5sum
}

# --- a lock with values awaiting sign-off: refused, with counts and whose
before=$(snapshot)
check_exit 7 "lock refused while values await sign-off" -- as admin admin period lock 2022-23-Q4
check_fixed "2022-23-Q4 still has $(expect pending 2022-23-Q4)" "$ERR" "names how many and whose"
check_fixed "'pmif value approve --period 2022-23-Q4 --directorate CAF'" "$ERR" "names the approve command"
check_fixed "or lock anyway with --force" "$ERR" "names --force"
[ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] && ok "one sentence" || not_ok "more than one line: $ERR"
[ "$(snapshot)" = "$before" ] && ok "refused lock changed nothing" || not_ok "store changed"
check_exit 0 "the period is still open" -- as admin --json period list --year 2022-23 --state open
check_fixed '"2022-23-Q4"' "$OUT" "2022-23-Q4 still open"

# --- who may: only admins lock or approve
for who in olga max; do
	check_exit 5 "$who refused: lock" -- as $who admin period lock 2022-23-Q4
	check_exit 5 "$who refused: lock --force" -- as $who admin period lock 2022-23-Q4 --force
	check_exit 5 "$who refused: approve a directorate's Q4" -- as $who value approve --period 2022-23-Q4 --directorate CAF
	check_exit 5 "$who refused: approve the whole Q4" -- as $who value approve --period 2022-23-Q4
done
[ "$(snapshot)" = "$before" ] && ok "refused callers changed nothing" || not_ok "store changed"
check_exit 6 "approve for a directorate that is not there" -- as admin value approve --period 2022-23-Q4 --directorate NOPE
check_exit 7 "approve for a period that is not a period" -- as admin value approve --period 2022-23-Q5
check_exit 2 "approve with neither a measure nor --period" -- as admin value approve
check_exit 2 "--locality means nothing for a whole period" -- as admin value approve --period 2022-23-Q4 --locality birtley
[ "$(snapshot)" = "$before" ] && ok "refused approvals changed nothing" || not_ok "store changed"

# --- approving CAF's Q4: the roll-up into 2022-23-H2 and 2022-23
check_exit 0 "approve CAF's 2022-23-Q4" -- as admin value approve --period 2022-23-Q4 --directorate CAF
check_fixed "approved $(expect count 2022-23-Q4 CAF) values (0 already approved)" "$OUT" "counts CAF's values"
check_fixed "2022-23-Q4 rolls into 2022-23-H2 and 2022-23:" "$OUT" "names the half-year and year"
check_grep "CAF: 2022-23-Q4 is complete: all [0-9]+ quarterly values approved" "$OUT" "the quarter itself is complete"
check_grep "CAF: 3 of 3 six-monthly measures still need a 2022-23-H2 value \(1 missing, [0-9]+ awaiting sign-off; 2022-23-H2 is locked\)" "$OUT" "what the half-year lacks"
check_grep "SIGNOFF-H +borough +missing" "$OUT" "names the missing half-yearly value"
check_grep "SIGNOFF-Y +birtley +missing" "$OUT" "names a missing annual value by locality"
check_grep "quarterly measure at its 2022-23-Q4 value" "$OUT" "says nothing is added up"
check_fixed "next: 'pmif admin period open 2022-23-H2' so the missing values" "$OUT" "says to open the locked half-year"
check_fixed "next: 'pmif value approve --period 2022-23-H2 --directorate CAF'" "$OUT" "says how to sign off the half-year"
check_exit 0 "approving it again changes nothing" -- as admin --json value approve --period 2022-23-Q4 --directorate CAF
python3 - "$OUT" "$(expect rollup CAF 2022-23-Q4 2022-23-H2 2022-23)" <<'PY' && ok "--json roll-up: every period's measures, expected and counts" || not_ok "--json roll-up"
import json, sys
r, want = json.loads(sys.argv[1]), sys.argv[2].splitlines()
assert r.get("approved", 0) == 0 and r["already_approved"] > 0, r
assert r["completes"] == ["2022-23-H2", "2022-23"], r["completes"]
got = r["signoff"]
assert len(got) == len(want), (got, want)
for s, w in zip(got, want):
    d, period, freq, measures, expected, have = w.split()
    assert (s["directorate"], s["period"], s["frequency"]) == (d, period, freq), s
    assert s.get("measures", 0) == int(measures) and s.get("expected", 0) == int(expected), (s, w)
    assert s.get("missing", 0) == int(expected) - int(have), (s, w)
    assert s.get("approved", 0) + s.get("submitted", 0) == int(have), (s, w)
    assert len(s.get("items", [])) == s.get("missing", 0) + s.get("submitted", 0), s
    assert all(i["status"] in ("missing", "awaiting sign-off") for i in s.get("items", [])), s
quarter = got[0]
assert quarter.get("submitted", 0) == 0 and quarter["approved"] == int(want[0].split()[5]), quarter
PY

# --- the lock now names only the directorates left
check_exit 7 "lock still refused for the others" -- as admin admin period lock 2022-23-Q4
check_fixed "2022-23-Q4 still has $(expect pending 2022-23-Q4 CAF)" "$ERR" "CAF no longer named"
check_fixed "or all at once with 'pmif value approve --period 2022-23-Q4'" "$ERR" "offers approving the whole period"

# --- a period that completes nothing: no roll-up
check_exit 0 "approve 2022-23-Q3 (already signed off)" -- as admin value approve --period 2022-23-Q3
check_fixed "approved 0 values ($(expect count 2022-23-Q3 "") already approved)" "$OUT" "all already approved"
check_no_grep "rolls into" "$OUT" "a Q3 rolls into nothing"

# --- the whole period, then a lock that needs no --force
check_exit 0 "approve the whole 2022-23-Q4" -- as admin value approve --period 2022-23-Q4
check_fixed "approved $(( $(expect count 2022-23-Q4 "") - $(expect count 2022-23-Q4 CAF) )) values" "$OUT" "approves every other directorate's"
check_grep "EIG: [0-9]+ of [0-9]+ annual measures still need a 2022-23 value" "$OUT" "roll-up for each directorate"
audit_before=$(audit_count)
check_exit 0 "lock with everything approved, no --force" -- as admin admin period lock 2022-23-Q4
check_fixed "2022-23-Q4 is locked" "$OUT" "locked"
[ -z "$ERR" ] && ok "no warning" || not_ok "warned: $ERR"
check_exit 0 "audit" -- as admin --json admin audit --user admin
python3 - "$OUT" <<'PY' && ok "the lock is audited, not as forced" || not_ok "audit entry of the lock"
import json, sys
e = [x for x in json.loads(sys.argv[1])["entries"] if x["method"] == "PeriodLock"][-1]
assert e["key"] == "period/2022-23-Q4" and "forced" not in e.get("detail", ""), e
PY

# --- --force: 2022-23-H2 has submitted values
check_exit 0 "open 2022-23-H2" -- as admin admin period open 2022-23-H2
before=$(snapshot)
check_exit 7 "lock 2022-23-H2 refused" -- as admin admin period lock 2022-23-H2
check_fixed "2022-23-H2 still has $(expect pending 2022-23-H2)" "$ERR" "counts the half-year's values"
[ "$(snapshot)" = "$before" ] && ok "refused lock changed nothing" || not_ok "store changed"
check_exit 0 "lock 2022-23-H2 --force" -- as admin admin period lock 2022-23-H2 --force
check_fixed "2022-23-H2 is locked" "$OUT" "locked"
check_fixed "warning: 2022-23-H2 is locked with $(expect pending 2022-23-H2 | sed 's/awaiting/still awaiting/')" "$ERR" "warns what was left"
check_exit 0 "audit" -- as admin --json admin audit --user admin
python3 - "$OUT" "$(expect pending 2022-23-H2)" <<'PY' && ok "audited as forced, with the counts" || not_ok "audit entry of the forced lock"
import json, sys
e = [x for x in json.loads(sys.argv[1])["entries"] if x["method"] == "PeriodLock"][-1]
assert e["key"] == "period/2022-23-H2" and e["detail"] == "forced: " + sys.argv[2], e
PY
check_exit 0 "a forced lock approves nothing" -- as admin --json value get SCHOOLS-GOOD-OUTST --period 2022-23-H2 --locality borough
check_fixed '"provisional": true' "$OUT" "the half-year's value is still provisional"
check_exit 0 "locking a locked period changes nothing" -- as admin admin period lock 2022-23
check_exit 0 "approve CAF's H2: rolls into the year only" -- as admin value approve --period 2022-23-H2 --directorate CAF
check_fixed "2022-23-H2 rolls into 2022-23:" "$OUT" "H2 rolls into the year"
check_grep "six-monthly measure at its 2022-23-H2 value" "$OUT" "says the year shows the H2 value"

finish
