#!/usr/bin/env bash
# End-to-end: the framework.  A store made with 'pmifd init --framework'
# from the council's file; framework show, measure list/show and periods
# for every role; admin add/list/show/edit/retire/restore for each kind of
# record; reloading (no change, one change, back again); malformed files
# refused whole with nothing changed; exit codes 5, 6 and 7 where the
# brief says.
#
# Environment: PMIF_BIN_DIR (the build dir with server/pmifd and
# client/pmif), PMIF_SOURCE_DIR (optional: the repository).
. "$(dirname "$0")/lib.sh"

SEED=$SRC/deploy/framework/gateshead.json
[ -f "$SEED" ] || { echo "no $SEED"; exit 1; }

# seed_count PYTHON-EXPR: count of measures m for which the expression holds
seed_count() {
	python3 - "$SEED" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(sum(1 for m in d["measures"] if eval(sys.argv[2])))
PY
}

# rows: lines of a table after its header
rows() { printf '%s\n' "$1" | tail -n +2 | grep -c . ; }

# --- a store created with the framework
check_exit 1 "init refuses a broken framework file" -- sh -c "printf '%s\n' '$ADMIN_PW' | $PMIFD init --data $T/bad-init --admin admin --password-stdin --framework /dev/null"
[ ! -e "$T/bad-init/data.mdb" ] && ok "a refused framework file creates no store" || not_ok "a store was created"
check_exit 0 "init with --framework" -- sh -c "printf '%s\n' '$ADMIN_PW' | $PMIFD init --data $DATA --admin admin --password-stdin --framework $SEED"
check_grep "^loaded framework '.*': [0-9]+ records, 42 periods" "$OUT" "init reports the framework and its periods"
start_server
check_exit 0 "admin logs in" -- login_as admin "$ADMIN_PW"
check_exit 0 "admin adds a directorate user" -- sh -c "printf 'directorate pw 1\n' | XDG_CONFIG_HOME=$T/config-admin $PMIF_EXE --server-key $FP admin user add dora --role directorate --directorate CAF --password-stdin"
check_exit 0 "admin adds a member" -- sh -c "printf 'member password 1\n' | XDG_CONFIG_HOME=$T/config-admin $PMIF_EXE --server-key $FP admin user add mike --role member --password-stdin"
check_exit 0 "directorate user logs in" -- login_as dora 'directorate pw 1'
check_exit 0 "member logs in" -- login_as mike 'member password 1'

# --- framework show: the seed's own words, for every role
check_exit 0 "member: framework show" -- as mike framework show
SHOW=$OUT
for title in \
	"Give every child the best start to life" \
	"Enable all young people and adults to maximise their capabilities and have control over their lives" \
	"Create the conditions for fair employment and good work for all" \
	"Ensure a healthy standard of living for all, in accordance with international law on economic and social rights" \
	"Create and develop healthy and sustainable communities and places" \
	"Strengthen the role and impact of ill health prevention"; do
	check_fixed "$title" "$SHOW" "policy objective: $title"
done
for po in PO1 PO2 PO3 PO4 PO5 PO6; do
	check_grep "^$po  .*\[policy objective\]" "$SHOW" "$po heads its tree"
done
for area in "BS-EMP  Employees" "BS-CX  Customer experience" "BS-FGR  Finance, governance & risk" "BS-EXT  External assessment"; do
	check_fixed "$area" "$SHOW" "scorecard area: $area"
done
for sentence in \
	"The circumstances which result in adverse childhood experiences are prevented" \
	"All domestic abuse is prevented" \
	"Gateshead is carbon neutral by 2030" \
	"No-one will be homeless or living in accommodation that does not provide a safe and healthy environment" \
	"C&F Early Help Strategy - providing support to families when a need is identified or as soon as a problem emerges, at any point in a child" \
	"Delivery of Gateshead Quays development including Conference and Exhibition Centre" \
	"- Keep families together safely" \
	"- Local Economy (Community Wealth Building)" \
	"Free school meal take-up"; do
	check_fixed "$sentence" "$SHOW" "framework show has: $sentence"
done
check_exit 0 "directorate user: framework show --objective PO1" -- as dora framework show --objective PO1
check_fixed "PO1  Give every child the best start to life" "$OUT" "one objective's tree"
check_no_grep "^PO2 " "$OUT" "and no other objective"
check_grep "scrutinised by: .*FAMILIES-OSC" "$OUT" "names the committees that scrutinise it"
check_exit 6 "framework show --objective NOPE" -- as mike framework show --objective NOPE
check_exit 0 "framework show --json" -- as mike --json framework show
n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["objectives"]))')
[ "$n" = 10 ] && ok "json tree has the 10 objectives" || not_ok "json tree has $n objectives"

# --- loading the same file: no changes, twice
check_exit 0 "reload the same file" -- as admin admin framework load "$SEED"
check_grep "^no changes$" "$OUT" "same file: no changes"
check_exit 0 "reload it again" -- as admin admin framework load "$SEED"
check_grep "^no changes$" "$OUT" "still no changes"

# --- one target changed in a copy: exactly that change
python3 - "$SEED" "$T/changed.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for m in d["measures"]:
    if m["id"] == "FSM-UPTAKE":
        m["targets"]["2022-23"] = 85.5
json.dump(d, open(sys.argv[2], "w"), indent=2)
PY
check_exit 0 "load a copy with one target changed" -- as admin admin framework load "$T/changed.json"
check_grep "^changed  measure FSM-UPTAKE: targets$" "$OUT" "reports the measure and the field"
[ "$(printf '%s\n' "$OUT" | grep -cE '^(added|changed|retired|deleted|moved) ')" = 1 ] && ok "and nothing else" || not_ok "other changes: $OUT"
check_exit 0 "measure show after the change" -- as mike measure show FSM-UPTAKE
check_grep "2022-23: 85.5" "$OUT" "the new target is stored"
check_exit 0 "load the changed copy again" -- as admin admin framework load "$T/changed.json"
check_grep "^no changes$" "$OUT" "second load of the copy: no changes"
check_exit 0 "load the original back" -- as admin --json admin framework load "$SEED"
check_grep '"targets"' "$OUT" "json load report names the field"

# --- measure list: filters on the server
for f in "objective PO1:m['objective']=='PO1'" \
	"committee FAMILIES-OSC:'FAMILIES-OSC' in m['committees']" \
	"directorate RD:m['directorate']=='RD'" \
	"committee CABINET:'CABINET' in m['committees']"; do
	opt=${f%%:*}; expr=${f#*:}
	want=$(seed_count "$expr")
	check_exit 0 "measure list --${opt% *} ${opt#* }" -- as mike measure list --${opt% *} ${opt#* }
	[ "$(rows "$OUT")" = "$want" ] && ok "--${opt% *} ${opt#* } lists $want measures" || not_ok "--${opt% *} ${opt#* } listed $(rows "$OUT"), wanted $want"
done
want=$(seed_count "m['objective']=='PO1' and 'CABINET' in m['committees'] and m['directorate']=='CAF'")
check_exit 0 "measure list with three filters" -- as dora measure list --objective PO1 --committee CABINET --directorate CAF
[ "$(rows "$OUT")" = "$want" ] && ok "filters combine ($want)" || not_ok "combined filters listed $(rows "$OUT"), wanted $want"
want=$(seed_count "True")
check_exit 0 "measure list" -- as mike measure list
[ "$(rows "$OUT")" = "$want" ] && ok "all $want measures listed" || not_ok "listed $(rows "$OUT"), wanted $want"
check_exit 6 "measure list --objective NOPE" -- as mike measure list --objective NOPE
check_exit 6 "measure list --committee NOPE" -- as mike measure list --committee NOPE

# --- measure show: every attribute
check_exit 0 "measure show FSM-UPTAKE" -- as mike measure show FSM-UPTAKE
for field in "^id: +FSM-UPTAKE$" "^title: +Free school meal take-up" "^objective: +PO1$" \
	"^kind: +strategic$" "^unit: +percent$" "^polarity: +higher$" "^frequency: +quarterly$" \
	"^directorate: +CAF$" "^committees: +.*FAMILIES-OSC" "^by locality: +yes$" \
	"^baseline: +[0-9.]+ in 2019-20$" "^targets: +2020-21: " "^tolerance: +[0-9.]+$" \
	"^decimals: +1$" "^description: +" "^status: +active$"; do
	check_grep "$field" "$OUT" "measure show: $field"
done
check_exit 0 "measure show --json" -- as dora --json measure show FSM-UPTAKE
check_grep '"unit": "percent"' "$OUT" "json measure has its unit"
check_exit 6 "measure show NOPE" -- as mike measure show NOPE
check_exit 6 "an id with escape codes and bad UTF-8" -- as mike measure show "$(printf 'X\033[31m\377')"
check_no_grep "$(printf '\033')" "$ERR" "the message shows no raw escape code"
check_exit 6 "the same with --json" -- as mike --json measure show "$(printf 'X\033[31m\377')"
check_grep '"code": "NOT_FOUND"' "$OUT" "json error still printed"

# --- periods
check_exit 0 "period list --year 2021-22" -- as admin admin period list --year 2021-22
[ "$(rows "$OUT")" = 7 ] && ok "a year has 7 periods" || not_ok "year has $(rows "$OUT") periods"
check_grep "^2021-22-Q1 +locked" "$OUT" "periods start locked"
check_exit 0 "open 2021-22-Q1 with a due date" -- as admin admin period open 2021-22-Q1 --due 2021-07-31
check_grep "2021-22-Q1 is open \(values due by 2021-07-31\)" "$OUT" "open says so"
check_exit 0 "member lists open periods" -- as mike period list --state open
check_grep "^2021-22-Q1 +open +2021-07-31" "$OUT" "the open period and its due date"
[ "$(rows "$OUT")" = 1 ] && ok "only one period is open" || not_ok "$(rows "$OUT") open"
check_exit 0 "lock 2021-22-Q1" -- as admin admin period lock 2021-22-Q1
check_grep "is locked" "$OUT" "lock says so"
check_exit 0 "unlock 2021-22-Q1" -- as admin admin period unlock 2021-22-Q1
check_grep "is open" "$OUT" "unlock reopens"
check_exit 0 "period list --json" -- as dora --json period list --year 2021-22
check_grep '"state": "open"' "$OUT" "json periods have their state"
check_exit 0 "reload leaves period states alone" -- as admin admin framework load "$SEED"
check_exit 0 "period list after reload" -- as admin admin period list --state open
check_grep "^2021-22-Q1 +open" "$OUT" "still open after a reload"
check_exit 7 "--due that is not a date" -- as admin admin period open 2021-22-Q2 --due 2021-02-30
check_grep "due: '2021-02-30' is not a date" "$ERR" "names the due date"
check_exit 6 "a period outside the framework's years" -- as admin admin period open 2030-31-Q1
check_exit 7 "period list --year with a quarter" -- as mike period list --year 2021-22-Q1
# period.h's own message for each
why() {
	case "$1" in
	2021-23) echo "'2021-23' is not a period: the second year must follow the first" ;;
	2021-22-Q5) echo "'2021-22-Q5' is not a period: a quarter must be Q1, Q2, Q3 or Q4" ;;
	21-22) echo "'21-22' is not a period: the first year must have four digits" ;;
	"") echo "'' is not a period: it is empty" ;;
	esac
}
for p in "2021-23" "2021-22-Q5" "21-22" ""; do
	for cmd in open lock unlock; do
		check_exit 7 "period $cmd '$p'" -- as admin admin period "$cmd" "$p"
		check_fixed "$(why "$p")" "$ERR" "period $cmd '$p': period.h's message"
	done
done

# --- what directorate users and members may not do
for who in dora mike; do
	for cmd in "admin framework load $SEED" "admin period open 2021-22-Q2" \
		"admin period lock 2021-22-Q1" "admin period unlock 2021-22-Q1"; do
		check_exit 5 "$who refused: $cmd" -- as $who $cmd
	done
done
check_grep "role, which may not [a-z]" "$ERR" "refusal names the role"

# --- admin add/list/show/edit/retire/restore for each kind
# kind|id|add options|edit options|what edit shows|a text field
KINDS=(
	"directorate|TEST-DIR|--name Test_directorate|--name Renamed_directorate|^name: +Renamed_directorate$|name"
	"locality|test-loc|--name Test_locality|--name Renamed_locality|^name: +Renamed_locality$|name"
	"objective|PO7|--kind policy --title Seventh_objective|--title Retitled|^title: +Retitled$|title"
	"outcome|PO7-OC1|--objective PO7 --text An_outcome|--text Another_outcome|^text: +Another_outcome$|text"
	"committee|TEST-OSC|--name Test_OSC --kind osc --objective PO7|--objective PO7 --objective PO1|^objectives: +PO7, PO1$|name"
	"intervention|PO7-IN1|--objective PO7 --title Do_things --item one --item two --directorate TEST-DIR|--item three|^items: +three$|title"
	"measure|TEST-M|--title Test_measure --objective PO7 --outcome PO7-OC1 --kind operational --unit percent --polarity higher --frequency quarterly --directorate TEST-DIR --committee TEST-OSC --by-locality yes --baseline 2019-20=40 --target 2022-23=50 --tolerance 2 --decimals 1|--target 2022-23=55 --target 2023-24=60 --tolerance 3|^targets: +2022-23: 55$|title"
)
for spec in "${KINDS[@]}"; do
	IFS='|' read -r kind id addopts editopts shows text <<<"$spec"
	check_exit 0 "admin $kind add $id" -- as admin admin $kind add $id $addopts
	check_exit 7 "admin $kind add $id again" -- as admin admin $kind add $id $addopts
	check_grep "already exists" "$ERR" "$kind: says it already exists"
	check_exit 0 "admin $kind list" -- as admin admin $kind list
	check_grep "^$id " "$OUT" "$kind list has $id"
	check_exit 0 "member: admin $kind list (a read)" -- as mike admin $kind list
	check_exit 0 "admin $kind edit $id" -- as admin admin $kind edit $id $editopts
	check_exit 0 "admin $kind show $id" -- as dora admin $kind show $id
	check_grep "$shows" "$OUT" "$kind edit is stored"
	check_exit 0 "admin $kind show --json" -- as admin --json admin $kind show $id
	check_grep "\"$kind\": \{" "$OUT" "$kind json names its kind"
	for verb in "add NEW-ID $addopts" "edit $id $editopts" "retire $id" "restore $id"; do
		check_exit 5 "directorate refused: admin $kind ${verb%% *}" -- as dora admin $kind $verb
		check_exit 5 "member refused: admin $kind ${verb%% *}" -- as mike admin $kind $verb
	done
	check_exit 6 "unknown id: admin $kind show" -- as admin admin $kind show NOPE-X
	check_exit 6 "unknown id: admin $kind edit" -- as admin admin $kind edit NOPE-X --$text x
	check_exit 6 "unknown id: admin $kind retire" -- as admin admin $kind retire NOPE-X
	check_exit 6 "unknown id: admin $kind restore" -- as admin admin $kind restore NOPE-X
	check_exit 7 "admin $kind edit: a control character" -- as admin admin $kind edit $id --$text "$(printf 'a\001b')"
	check_grep "$text: holds a control character" "$ERR" "$kind: the message names the field"
	check_exit 7 "admin $kind edit: an empty $text" -- as admin admin $kind edit $id --$text ""
	check_grep "$text: is missing" "$ERR" "$kind: says the $text is required"
done
check_fixed "items: " "$(as admin admin intervention show PO7-IN1)" "intervention keeps its items"
check_fixed "2023-24: 60" "$(as admin admin measure show TEST-M)" "measure edit merged the new year's target"

# invalid values name their field (exit 7)
check_exit 7 "unit not in the list" -- as admin admin measure edit TEST-M --unit percentage
check_fixed "unit: 'percentage' is not one of count, percent, rate_per_1000, days, gbp, score" "$ERR" "unit message"
check_exit 7 "negative tolerance" -- as admin admin measure edit TEST-M --tolerance -1
check_grep "^pmif: tolerance: " "$ERR" "tolerance message"
check_exit 7 "decimals too many" -- as admin admin measure edit TEST-M --decimals 9
check_grep "^pmif: decimals: " "$ERR" "decimals message"
check_exit 7 "target for a bad year" -- as admin admin measure edit TEST-M --target 2021-23=5
check_fixed "targets: '2021-23' is not a period: the second year must follow the first" "$ERR" "target year uses period.h's message"
check_exit 7 "percentage over 100" -- as admin admin measure edit TEST-M --target 2022-23=150
check_grep "150 is not a percentage" "$ERR" "percent range message"
check_exit 6 "measure naming an unknown objective" -- as admin admin measure edit TEST-M --objective PO99
check_fixed "objective: there is no objective 'PO99'" "$ERR" "unknown reference message"
check_exit 7 "measure add without its fields" -- as admin admin measure add TEST-M2 --title x
check_grep "unit: is missing" "$ERR" "lists what is missing"
check_exit 0 "the issue's example edit" -- as admin admin measure edit FSM-UPTAKE --target 2022-23=85 --tolerance 2

# retiring keeps active records whole
check_exit 7 "retire a directorate an active measure uses" -- as admin admin directorate retire TEST-DIR
check_grep "still used by" "$ERR" "says what uses it"
check_exit 7 "retire an objective in use" -- as admin admin objective retire PO7
for r in "measure TEST-M" "intervention PO7-IN1" "outcome PO7-OC1" "committee TEST-OSC" "objective PO7" "directorate TEST-DIR" "locality test-loc"; do
	check_exit 0 "retire $r" -- as admin admin ${r% *} retire ${r#* }
	check_grep "^retired ${r% *} ${r#* }$" "$OUT" "retire $r says so"
done
check_exit 0 "measure list hides retired measures" -- as mike measure list --objective PO1
check_no_grep "TEST-M" "$OUT" "retired measure not listed"
check_exit 0 "measure list --all shows them" -- as admin admin measure list --all
check_grep "^TEST-M \(retired\)" "$OUT" "retired measure marked"
check_exit 7 "edit a retired measure" -- as admin admin measure edit TEST-M --title x
check_exit 7 "restore a measure whose objective is retired" -- as admin admin measure restore TEST-M
check_grep "objective 'PO7' is retired" "$ERR" "says what to restore first"
for r in "directorate TEST-DIR" "objective PO7" "outcome PO7-OC1" "committee TEST-OSC" "measure TEST-M"; do
	check_exit 0 "restore $r" -- as admin admin ${r% *} restore ${r#* }
done

# reloading the file: records it does not have and nothing uses are deleted
check_exit 0 "reload the council's file" -- as admin admin framework load "$SEED"
for r in "measure TEST-M" "intervention PO7-IN1" "outcome PO7-OC1" "committee TEST-OSC" "objective PO7" "directorate TEST-DIR" "locality test-loc"; do
	check_grep "^deleted +$r$" "$OUT" "reload deletes $r"
done
check_grep "^changed +measure FSM-UPTAKE: targets" "$OUT" "reload restores the edited measure"
check_exit 0 "and again" -- as admin admin framework load "$SEED"
check_grep "^no changes$" "$OUT" "then no changes"

# --- malformed files are refused whole and change nothing
snapshot() {
	as admin framework show --all
	as admin admin measure list --all
	as admin admin period list
	"$PMIFD" check --data "$DATA" | grep 'audit chain'
}
BEFORE=$(snapshot)
printf '{\n  "name": "broken",\n  "periods": {"first_year": "2019-20",,\n  }\n}\n' >"$T/syntax.json"
check_exit 7 "a syntax error" -- as admin admin framework load "$T/syntax.json"
check_grep "line 3, column [0-9]+" "$ERR" "names the line"
check_grep "nothing was changed" "$ERR" "says nothing was changed"
python3 - "$SEED" "$T" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["measures"][3]["unit"] = "percentage"
json.dump(d, open(sys.argv[2] + "/unit.json", "w"))
d = json.load(open(sys.argv[1]))
d["measures"][5]["objective"] = "PO9"
json.dump(d, open(sys.argv[2] + "/dangling.json", "w"))
d = json.load(open(sys.argv[1]))
d["measures"][0]["tolerence"] = 2
d["measures"][1]["decimals"] = "one"
d["localities"][0]["id"] = "Borough"
json.dump(d, open(sys.argv[2] + "/many.json", "w"))
PY
check_exit 7 "an unknown unit" -- as admin admin framework load "$T/unit.json"
check_fixed "measures[3].unit: 'percentage' is not one of count, percent, rate_per_1000, days, gbp, score" "$ERR" "names the path and the allowed units"
check_exit 7 "a dangling reference" -- as admin admin framework load "$T/dangling.json"
check_fixed "measures[5].objective: there is no objective 'PO9' in the file" "$ERR" "names the reference"
check_exit 7 "several problems" -- as admin admin framework load "$T/many.json"
check_grep "3 problems" "$ERR" "counts them"
check_fixed "measures[0].tolerence: is not a field of a measure" "$ERR" "unknown field"
check_fixed "measures[1].decimals: must be a whole number" "$ERR" "wrong type"
check_fixed "localities[0].id: 'Borough' is not a locality id" "$ERR" "bad id"
check_exit 7 "not JSON at all" -- as admin admin framework load /bin/sh
head -c $((3 * 1024 * 1024 + 1)) /dev/zero >"$T/huge.json"
check_exit 7 "a file over the size limit" -- as admin admin framework load "$T/huge.json"
check_exit 1 "a file that does not exist" -- as admin admin framework load "$T/none.json"
AFTER=$(snapshot)
[ "$BEFORE" = "$AFTER" ] && ok "refused files changed nothing (framework, measures, periods, audit)" || {
	not_ok "something changed"; diff <(echo "$BEFORE") <(echo "$AFTER") | head -5 | sed 's/^/#   /'; }

check_exit 0 "the audit trail as JSON" -- as admin --json admin audit --limit 1000
check_no_grep 'record: not shown|cannot be read' "$OUT" "every framework record in the trail is shown"
check_fixed '\"added\":[' "$OUT" "a framework load's summary shown as JSON"

kill -0 "$SERVER_PID" 2>/dev/null && ok "the server is still serving" || not_ok "the server died"
finish
