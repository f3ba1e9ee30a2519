#!/usr/bin/env bash
# End-to-end: quarterly data entry.  Scope by directorate, locked periods,
# every validation rule (refused, nothing changed), approval as members see
# it, CSV import all-or-nothing, resent writes applied once, commentary,
# interventions, case studies, risks, resources, and the audit trail
# (including a tampered entry being caught).
. "$(dirname "$0")/lib.sh"

# a framework with the council's content plus 100 bulk measures and more
# years, so a 10,000-line import has 10,000 distinct values to carry
python3 - "$SRC/deploy/framework/gateshead.json" "$T/framework.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
f["periods"]["last_year"] = "2044-45"
for i in range(100):
    f["measures"].append({"id": "BULK-%03d" % i, "title": "Bulk test measure %d" % i,
        "objective": "PO1", "kind": "operational", "unit": "count", "polarity": "none",
        "frequency": "quarterly", "directorate": "CAF", "committees": ["FAMILIES-OSC"],
        "by_locality": False, "decimals": 0, "source": "test"})
# for imports that give one series several rows, on top of stored values
f["measures"].append({"id": "IMPORT-A", "title": "Import series test measure",
    "objective": "PO1", "kind": "operational", "unit": "count", "polarity": "none",
    "frequency": "quarterly", "directorate": "CAF", "committees": ["FAMILIES-OSC"],
    "by_locality": True, "decimals": 0, "source": "test"})
json.dump(f, open(sys.argv[2], "w"))
PY
INIT_ARGS="--framework $T/framework.json --demo"
start_server
login_as admin "$ADMIN_PW"
printf 'officer pw 1234\n' | as admin admin user add olga --role directorate --directorate CAF --password-stdin >/dev/null
printf 'officer pw 5678\n' | as admin admin user add rees --role directorate --directorate RD --password-stdin >/dev/null
printf 'member pw 12345\n' | as admin admin user add max --role member --password-stdin >/dev/null
login_as olga 'officer pw 1234'
login_as rees 'officer pw 5678'
login_as max 'member pw 12345'

# the store's state, to show a refusal changed nothing
snapshot() {
	{ as admin --json value get FSM-UPTAKE; as admin --json value history FSM-UPTAKE 2022-23-Q4; audit_count; } 2>/dev/null | md5sum
}

# --- scope
check_exit 0 "directorate enters its own measure" -- as olga value set FSM-UPTAKE 2022-23-Q4 84.9
check_grep "submitted, awaiting sign-off" "$OUT" "says it awaits sign-off"
check_exit 5 "directorate refused another directorate's measure" -- as olga value set SICKNESS-DAYS 2022-23-Q4 2.5
check_grep "may change only what CAF owns; this belongs to RD" "$ERR" "refusal names both directorates"
check_exit 0 "the owner of that measure may" -- as rees value set SICKNESS-DAYS 2022-23-Q4 2.5
for cmd in "value set FSM-UPTAKE 2022-23-Q4 84" "value import $SRC/deploy/demo/values.csv" \
           "value approve FSM-UPTAKE 2022-23-Q4" "commentary set PO1 2022-23-Q4 --text hello" \
           "intervention update PO1-IN2 2022-23-Q4 --status on-track --text fine" \
           "risk update R-01 --period 2022-23-Q4 --likelihood 2 --impact 2" \
           "resource set PO1 2022-23 --budget 1 --spend 1"; do
	check_exit 5 "member refused: $cmd" -- as max $cmd
done
check_exit 5 "directorate refused approval" -- as olga value approve FSM-UPTAKE 2022-23-Q4
check_exit 5 "directorate refused resources" -- as olga resource set PO1 2022-23 --budget 1 --spend 1
check_exit 5 "directorate refused another's intervention" -- as rees intervention update PO1-IN2 2022-23-Q4 --status on-track --text x
check_exit 5 "directorate refused the audit trail" -- as olga admin audit

# --- locked periods
check_exit 0 "admin locks the period (values still await sign-off)" -- as admin admin period lock 2022-23-Q4 --force
before=$(snapshot)
check_exit 7 "locked period refuses the directorate" -- as olga value set FSM-UPTAKE 2022-23-Q4 84.1
check_grep "is locked.*admin period unlock 2022-23-Q4" "$ERR" "says who can unlock it and how"
check_exit 7 "locked period refuses commentary too" -- as olga commentary set PO1 2022-23-Q4 --text "so what"
[ "$(snapshot)" = "$before" ] && ok "nothing changed while locked" || not_ok "store changed"
check_exit 0 "admin unlocks" -- as admin admin period unlock 2022-23-Q4
check_exit 0 "directorate can enter again" -- as olga value set FSM-UPTAKE 2022-23-Q4 84.1

# --- every validation rule: exit 7, message names the field, nothing changes
before=$(snapshot)
check_exit 7 "percent above 100" -- as olga value set FSM-UPTAKE 2022-23-Q4 100.5
check_grep "value: 100.5 is not a percentage" "$ERR" "percent rule"
check_exit 7 "percent below 0" -- as olga value set FSM-UPTAKE 2022-23-Q4 -- -1
check_exit 7 "a negative value needs no -- before it" -- as olga value set FSM-UPTAKE 2022-23-Q4 -1
check_grep "value: -1 is not a percentage" "$ERR" "the server saw -1, not an option"
check_exit 2 "-5x is neither a number nor an option" -- as olga value set FSM-UPTAKE 2022-23-Q4 -5x
check_grep "unknown option '-5'" "$ERR" "names the option it could not read"
check_exit 7 "count not whole" -- as olga value set LAC-NUMBER 2022-23-Q4 10.5
check_grep "whole number" "$ERR" "count rule"
check_exit 7 "count negative" -- as olga value set LAC-NUMBER 2022-23-Q4 -- -3
check_exit 7 "NaN" -- as olga value set FSM-UPTAKE 2022-23-Q4 nan
check_grep "not a number" "$ERR" "NaN rule"
check_exit 7 "infinity" -- as olga value set FSM-UPTAKE 2022-23-Q4 inf
check_exit 7 "not a number at all" -- as olga value set FSM-UPTAKE 2022-23-Q4 lots
check_exit 7 "numerator above denominator" -- as olga value set FSM-UPTAKE 2022-23-Q4 84 --numerator 12 --denominator 10
check_grep "numerator: 12 is more than the denominator" "$ERR" "numerator rule"
check_exit 7 "value inconsistent with fraction" -- as olga value set FSM-UPTAKE 2022-23-Q4 84 --numerator 50 --denominator 100
check_grep "does not match numerator/denominator" "$ERR" "consistency rule"
check_exit 7 "zero denominator" -- as olga value set FSM-UPTAKE 2022-23-Q4 0 --numerator 0 --denominator 0
check_exit 7 "period of the wrong kind" -- as olga value set FSM-UPTAKE 2022-23 84
check_grep "reported quarterly" "$ERR" "frequency rule"
check_exit 7 "locality for a borough-only measure" -- as olga value set PERM-EXCLUSIONS 2022-23-Q4 3 --locality birtley
check_grep "borough-wide only" "$ERR" "locality rule"
check_exit 6 "unknown locality" -- as olga value set FSM-UPTAKE 2022-23-Q4 84 --locality atlantis
check_exit 6 "unknown measure" -- as olga value set NO-SUCH 2022-23-Q4 1
check_exit 6 "period that does not exist" -- as olga value set FSM-UPTAKE 2049-50-Q1 84
check_exit 7 "malformed period" -- as olga value set FSM-UPTAKE 2022-23-Q5 84
check_grep "2022-23-Q5" "$ERR" "period message quotes the input"
check_exit 7 "red value without a note" -- as olga value set FSM-UPTAKE 2022-23-Q4 70
check_grep "note: 70 is red" "$ERR" "red rule"
[ "$(snapshot)" = "$before" ] && ok "no refused value changed the store, history or audit" || not_ok "store changed"
check_exit 0 "red value with a note" -- as olga value set FSM-UPTAKE 2022-23-Q4 70 --note "kitchen strike"
check_exit 0 "keying error accepted with a warning" -- as olga value set LAC-NUMBER 2022-23-Q4 4400 --note "check"
check_grep "warning: .*far outside" "$ERR" "warns of a value far outside the history"

# --- history, approval, and what members see
check_exit 0 "history" -- as max value history FSM-UPTAKE 2022-23-Q4
check_grep "kitchen strike" "$OUT" "history shows the note"
[ "$(printf '%s\n' "$OUT" | grep -c '^[0-9]')" -ge 4 ] && ok "every revision kept" || not_ok "revisions missing"
check_exit 0 "member sees it provisional" -- as max value get FSM-UPTAKE --period 2022-23-Q4 --locality borough
check_grep "70 +provisional" "$OUT" "marked provisional"
check_exit 0 "admin approves" -- as admin value approve FSM-UPTAKE 2022-23-Q4
check_exit 0 "member sees it approved" -- as max --json value get FSM-UPTAKE --period 2022-23-Q4 --locality borough
check_grep '"provisional": false' "$OUT" "approval changed what the member sees"
check_exit 0 "approve a directorate's period" -- as admin value approve --period 2022-23-Q4 --directorate CAF
check_grep "approved [0-9]+ values" "$OUT" "bulk approval counts"
check_exit 6 "approve a value that is not there" -- as admin value approve BULK-001 2022-23-Q4

# --- import: 10,000 lines, all or nothing
python3 - "$T/bulk.csv" "$T/bulk-bad.csv" <<'PY'
import sys
rows = []
for m in range(100):
    for y in range(2019, 2044):
        for q in range(1, 5):
            if len(rows) < 10000:
                rows.append("BULK-%03d,%d-%02d-Q%d,,%d,,," % (m, y, (y + 1) % 100, q, 100 + (m + y + q) % 17))
assert len(rows) == 10000
head = "measure,period,locality,value,numerator,denominator,note\n"
open(sys.argv[1], "w").write(head + "\n".join(rows) + "\n")
bad = list(rows); f = bad[4999].split(","); f[3] = "oops"; bad[4999] = ",".join(f)
open(sys.argv[2], "w").write(head + "\n".join(bad) + "\n")
PY
audit_before=$(audit_count)
check_exit 7 "import with one bad line in the middle" -- as admin value import "$T/bulk-bad.csv"
check_grep "line 5001: value: not a number" "$ERR" "names the bad line"
check_grep "nothing was imported" "$ERR" "says nothing was imported"
check_exit 6 "nothing from it is stored" -- as admin value history BULK-000 2019-20-Q1
[ "$(audit_count)" -eq "$audit_before" ] && ok "audit unchanged by the refused import" || not_ok "audit changed"
check_exit 0 "dry run of the good file" -- as admin value import "$T/bulk.csv" --dry-run
check_grep "10000 rows: 10000 would be added" "$OUT" "dry run counts"
check_exit 6 "dry run stored nothing" -- as admin value history BULK-000 2019-20-Q1
start=$(date +%s.%N)
check_exit 0 "10,000-line import" -- as admin value import "$T/bulk.csv"
echo "# import: $OUT ($(python3 -c "print(round($(date +%s.%N) - $start, 2))") s end to end)"
check_grep "imported 10000 rows: 10000 added" "$OUT" "all 10,000 imported"
check_exit 0 "imported values are there" -- as max value get BULK-042 --period 2030-31-Q2
check_grep "BULK-042" "$OUT" "value readable"
check_exit 0 "importing it again changes nothing" -- as admin value import "$T/bulk.csv"
check_grep "0 added, 0 changed, 10000 unchanged" "$OUT" "idempotent import"
printf 'measure,period,value\n' >"$T/header.csv"
check_exit 7 "wrong header" -- as olga value import "$T/header.csv"
check_grep "line 1: the header must be exactly" "$ERR" "header message"
check_exit 5 "directorate cannot import another's measure" -- as rees value import "$T/bulk.csv"
check_grep "line 2: BULK-000 belongs to .*; 'rees' may change only what RD owns" "$ERR" "names the line and both directorates"
# permission problems come per line, in the same pass as every other problem
printf 'measure,period,locality,value,numerator,denominator,note\nSICKNESS-DAYS,2022-23-Q4,,2.6,,,\nFSM-UPTAKE,2022-23-Q4,,80,,,\nSICKNESS-DAYS,2022-23-Q3,,lots,,,\n' >"$T/mixed.csv"
before=$(snapshot)
check_exit 7 "a file with another's row and a bad number" -- as rees value import "$T/mixed.csv"
check_grep "line 3: FSM-UPTAKE belongs to CAF" "$ERR" "the other directorate's line is named"
check_grep "line 4: value: not a number" "$ERR" "and the bad number, in the same pass"
check_grep "2 problems" "$ERR" "counts both"
[ "$(snapshot)" = "$before" ] && ok "nothing of the mixed file was stored" || not_ok "store changed"

# --- import: several rows of one series in a file, on top of stored values
# (as admin: these future periods are not open to a directorate)
check_exit 0 "a stored value before the import" -- as admin value set IMPORT-A 2030-31-Q1 100
check_exit 0 "and another" -- as admin value set IMPORT-A 2030-31-Q2 100
cat >"$T/series.csv" <<'CSV'
measure,period,locality,value,numerator,denominator,note
IMPORT-A,2030-31-Q3,,100,,,
IMPORT-A,2030-31-Q3,birtley,7,,,
IMPORT-A,2030-31-Q4,,100,,,
IMPORT-A,2030-31-Q2,,120,,,changed
IMPORT-A,2030-31-Q4,birtley,8,,,
IMPORT-A,2031-32-Q1,,5000,,,
IMPORT-A,2031-32-Q1,birtley,9,,,
CSV
check_exit 0 "dry run: the file's own rows are not history yet" -- as admin value import "$T/series.csv" --dry-run
check_grep "7 rows: 6 would be added, 1 would be changed" "$OUT" "dry run counts the change to a stored value"
check_fixed "line 7: 5000 is far outside this measure's history (100 to 100 so far)" "$ERR" "dry run warns against the stored history"
check_exit 0 "import one series in several rows" -- as admin value import "$T/series.csv"
check_grep "imported 7 rows: 6 added, 1 changed, 0 unchanged" "$OUT" "added and changed counted"
check_fixed "line 7: 5000 is far outside this measure's history (100 to 120 so far)" "$ERR" "the keying warning sees the stored values and the file's earlier rows"
[ "$(printf '%s\n' "$ERR" | grep -c 'far outside')" -eq 1 ] && ok "only the keying error warned" || not_ok "warnings: $ERR"
revs=$(as admin --json value history IMPORT-A 2030-31-Q2 | grep -c '"revision"')
[ "$revs" -eq 2 ] && ok "the changed value kept both revisions" || not_ok "$revs revisions of IMPORT-A 2030-31-Q2"
check_exit 0 "the changed value reads back" -- as max --json value get IMPORT-A --period 2030-31-Q2 --locality borough
check_grep '"value": 120' "$OUT" "the import's value is current"
check_exit 0 "a locality's series reads back" -- as max --json value get IMPORT-A --period 2031-32-Q1 --locality birtley
check_grep '"value": 9' "$OUT" "the locality's value is there"
check_exit 0 "importing it again" -- as admin value import "$T/series.csv"
check_grep "0 added, 0 changed, 7 unchanged" "$OUT" "the same file again changes nothing"
revs=$(as admin --json value history IMPORT-A 2030-31-Q2 | grep -c '"revision"')
[ "$revs" -eq 2 ] && ok "no revision for an unchanged value" || not_ok "$revs revisions after the second import"
printf 'measure,period,locality,value,numerator,denominator,note\nIMPORT-A,2032-33-Q1,,1,,,\nIMPORT-A,2032-33-Q2,,2,,,\nIMPORT-A,2032-33-Q1,,3,,,\n' >"$T/repeat.csv"
check_exit 7 "a value twice in one file" -- as admin value import "$T/repeat.csv"
check_fixed "line 4: repeats the value of line 2 (IMPORT-A 2032-33-Q1 borough)" "$ERR" "names the first line"
check_exit 6 "nothing of it stored" -- as admin value history IMPORT-A 2032-33-Q2

# --- a resent write is applied once
audit_before=$(audit_count)
check_exit 0 "resend run" -- sh -c "printf 'officer pw 1234\n' | $WIRE resend $PMIF_SERVER $FP olga FSM-UPTAKE 2022-23-Q4 83.3"
check_grep "same reply: yes" "$OUT" "the resend got the first reply"
revs=$(as admin --json value history FSM-UPTAKE 2022-23-Q4 | grep -c '"revision"')
last=$(as admin value history FSM-UPTAKE 2022-23-Q4 | grep -c ' 83.3 ')
[ "$last" -eq 1 ] && ok "one revision for the two sends" || not_ok "$last revisions with 83.3"
[ "$(audit_count)" -eq $((audit_before + 2)) ] && ok "audited once (login + value)" || not_ok "audit grew by $(( $(audit_count) - audit_before ))"

# --- the rest of the update
check_exit 0 "commentary" -- as olga commentary set PO1 2022-23-Q4 --text "Take-up fell during the strike; recovered in March."
check_exit 0 "commentary read by a member" -- as max commentary get PO1 2022-23-Q4
check_grep "recovered in March" "$OUT" "commentary text"
check_exit 5 "commentary on an objective the directorate has nothing in" -- as olga commentary set BS-EMP 2022-23-Q4 --text x
check_exit 7 "empty commentary" -- as olga commentary set PO1 2022-23-Q4 --text ""
check_exit 0 "intervention update" -- as olga intervention update PO1-IN2 2022-23-Q4 --status at-risk --text "Delayed by procurement"
check_exit 7 "bad intervention status" -- as olga intervention update PO1-IN2 2022-23-Q4 --status fine --text x
check_grep "status: 'fine' is not one of" "$ERR" "status message"
check_exit 6 "unknown intervention" -- as olga intervention update PO9-IN1 2022-23-Q4 --status on-track --text x
check_exit 0 "intervention list" -- as max intervention list --intervention PO1-IN2 --period 2022-23-Q4
check_grep "at-risk" "$OUT" "update listed"
check_exit 0 "case study" -- as olga case-study add CS-99 --objective PO1 --period 2022-23-Q4 --title "Breakfast club" --story "A school in Felling..." --locality felling --measure FSM-UPTAKE
check_exit 0 "case studies listed" -- as max case-study list --objective PO1
check_grep "CS-99" "$OUT" "case study listed"
check_exit 0 "risk added with a first assessment" -- as olga risk add R-99 --objective PO1 --directorate CAF --title "Catering contract ends" --period 2022-23-Q4 --likelihood 3 --impact 4
check_exit 5 "risk for another directorate" -- as olga risk add R-98 --objective PO1 --directorate RD --title x
check_exit 7 "likelihood out of range" -- as olga risk update R-99 --period 2022-23-Q4 --likelihood 6 --impact 1
check_exit 0 "risk list with movement" -- as max risk list --objective PO1 --period 2022-23-Q4
check_grep "R-99 .* 12 \(L3 x I4\) new" "$OUT" "new risk shows its score"
check_grep "R-01 .*(up|down|no change)" "$OUT" "demo risk shows movement"
check_exit 0 "resources" -- as admin resource set PO1 2023-24 --budget 70000000 --spend 1000000
check_exit 7 "resources need a year" -- as admin resource set PO1 2023-24-Q1 --budget 1 --spend 1
check_exit 0 "resource list" -- as max resource list
check_grep "PO1 +2023-24 +budget £70,000,000 spend £1,000,000 \(-£69,000,000\)" "$OUT" "money with £ and thousands separators"
check_exit 7 "a red money value needs a note" -- as admin value set WELFARE-GAIN-GBP 2022-23-Q4 1234567.5
check_grep "note: 1234567.5 is red" "$ERR" "the server's sentence shows the value as entered"
check_exit 0 "a large money value" -- as admin value set WELFARE-GAIN-GBP 2022-23-Q4 1234567.5 --note "one large award"
check_grep ": 1234567.5 " "$OUT" "printed as entered, not 1.23457e+06"
check_exit 0 "a negative money value" -- as admin value set WELFARE-GAIN-GBP 2022-23-Q3 -2500 --note "a clawback"
check_grep ": -2500 " "$OUT" "a negative value is entered"

# --- audit trail
check_exit 0 "audit by user" -- as admin admin audit --user olga
check_grep "olga +directorate +ValueSet +value/FSM-UPTAKE/2022-23-Q4/borough" "$OUT" "value change audited"
check_exit 0 "audit json" -- as admin --json admin audit --user olga --limit 3
check_grep '"before"' "$OUT" "entries carry before and after"
check_exit 0 "audit since" -- as admin admin audit --since 2000-01-01 --limit 2
# the records are kept packed and shown as JSON: every type written here
# (framework, users, values, periods, commentary, ...) must be one audit.c shows
check_exit 0 "the whole trail as JSON" -- as admin --json admin audit --limit 1000
check_no_grep 'record: not shown|cannot be read' "$OUT" "every record in the trail is shown"
check_fixed '\"measure\":\"FSM-UPTAKE\",\"note\":\"kitchen strike\"' "$OUT" "a value's record shown as JSON"
check_no_grep '\"(hash|salt)\"' "$OUT" "no password hash or salt in the trail"
check_exit 7 "audit bad time" -- as admin admin audit --since yesterday
check_exit 0 "audit: the server's largest page may be asked for" -- as admin admin audit --limit 5000
check_exit 7 "audit: a page over the server's largest refused" -- as admin admin audit --limit 5001
check_fixed "--limit: '5001' is not a whole number from 0 to 5000" "$ERR" "names the limit's range"
check_exit 7 "audit: --after must be an entry number" -- as admin admin audit --after yesterday
check_fixed "--after: 'yesterday' is not an entry number" "$ERR" "names the bad --after"
check_exit 7 "risk: a score that is not a number" -- as olga risk update R-99 --period 2022-23-Q4 --likelihood two --impact 1
check_fixed "--likelihood: 'two' is not a whole number" "$ERR" "names the bad score option"
check_exit 0 "audit verify" -- as admin admin audit verify
check_grep "audit chain intact" "$OUT" "intact"
check_exit 0 "tamper with entry 42" -- "$WIRE" tamper "$DATA" 42
check_exit 1 "admin audit verify catches it" -- as admin admin audit verify
check_grep "broken at entry 42" "$ERR" "names the entry"
check_exit 1 "pmifd check catches it" -- "$PMIFD" check --data "$DATA"
check_grep "entry 42" "$ERR" "pmifd check names the entry"

finish
