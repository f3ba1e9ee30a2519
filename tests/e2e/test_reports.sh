#!/usr/bin/env bash
# End-to-end: the reports.  A store made with the council's framework and
# the demo data ('pmifd init --framework ... --demo'); then, as a member,
# every report in every format: JSON checked against the shape report.proto
# documents, CSV with a header and one row per measure (per period, per
# locality ...), HTML drawn by headless Chromium and PDF by pdftoppm
# (check_html.sh), tables; what the numbers must say where the demo data
# is built to show it; bad input with the exit codes the brief fixes;
# a directorate user and an admin can read them too.
#
# Environment: PMIF_BIN_DIR (the build dir with server/pmifd and
# client/pmif), PMIF_SOURCE_DIR (optional: the repository).
SEED_FILE=$(cd "$(dirname "$0")/../.." && pwd)/deploy/framework/gateshead.json
INIT_ARGS=${INIT_ARGS:---framework $SEED_FILE --demo}
. "$(dirname "$0")/lib.sh"

SEED=$SRC/deploy/framework/gateshead.json
CHECK_HTML=$SRC/tests/e2e/check_html.sh
[ -f "$SEED" ] || { echo "no $SEED"; exit 1; }

# seed_count PYTHON-EXPR: count of measures m for which the expression holds
seed_count() {
	python3 - "$SEED" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(sum(1 for m in d["measures"] if eval(sys.argv[2])))
PY
}

start_server
grep -q "loaded demo data" "$T/init.out" && ok "init loaded the demo data" || not_ok "init did not load the demo data"
check_exit 0 "admin logs in" -- login_as admin "$ADMIN_PW"
check_exit 0 "admin adds a member" -- sh -c "printf 'member password 1\n' | XDG_CONFIG_HOME=$T/config-admin $PMIF_EXE --server-key $FP admin user add mike --role member --password-stdin"
check_exit 0 "admin adds a directorate user" -- sh -c "printf 'directorate pw 1\n' | XDG_CONFIG_HOME=$T/config-admin $PMIF_EXE --server-key $FP admin user add dora --role directorate --directorate CAF --password-stdin"
check_exit 0 "member logs in" -- login_as mike 'member password 1'
check_exit 0 "directorate user logs in" -- login_as dora 'directorate pw 1'

# name|report arguments
REPORTS=(
	"scorecard|scorecard --period 2022-23-Q3"
	"scorecard-osc|scorecard --period 2022-23-Q4 --committee FAMILIES-OSC"
	"scorecard-birtley|scorecard --period 2022-23-Q4 --locality birtley"
	"exceptions|exceptions --period 2022-23-Q4"
	"completeness|completeness --period 2022-23-Q4"
	"trend|trend REPAIRS-DAYS"
	"trend-window|trend FSM-UPTAKE --from 2021-22-Q1 --to 2022-23-Q3"
	"locality|locality CLAIMANT-RATE --period 2022-23-Q3"
	"pack|pack --committee FAMILIES-OSC --period 2022-23-Q3"
	"cabinet|pack --cabinet --period 2022-23-H1"
)

# check_shape NAME FILE: the JSON has report.proto's shape (exit 0) or
# says what is wrong
check_shape() {
	python3 - "$1" "$2" <<'PY'
import json, re, sys
name, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
problems = []
PERIOD = re.compile(r"^\d{4}-\d{2}(-(H[12]|Q[1-4]))?$")

def need(obj, where, **fields):
    if not isinstance(obj, dict):
        problems.append("%s is not an object" % where); return False
    for k, t in fields.items():
        if k not in obj:
            problems.append("%s: no %s" % (where, k))
        elif t is float:
            if not isinstance(obj[k], (int, float)) or isinstance(obj[k], bool):
                problems.append("%s.%s is not a number: %r" % (where, k, obj[k]))
        elif not isinstance(obj[k], t) or (t is int and isinstance(obj[k], bool)):
            problems.append("%s.%s is not %s: %r" % (where, k, t.__name__, obj[k]))
    return True

def one_of(obj, where, k, words):
    if obj.get(k) not in words:
        problems.append("%s.%s is %r, not one of %s" % (where, k, obj.get(k), words))

def point(p, where):
    need(p, where, period=str, has_value=bool, value=float, provisional=bool,
         flags_high=int, flags_low=int, has_target=bool, target=float)
    if not PERIOD.match(p.get("period", "")):
        problems.append("%s.period %r" % (where, p.get("period")))

def line(m, where):
    need(m, where, measure_id=str, title=str, objective_id=str, directorate=str, unit=str,
         polarity=str, decimals=int, locality=str, period=str, has_value=bool, value=float,
         provisional=bool, note=str, has_target=bool, target=float, tolerance=float, rag=str,
         rag_rule=str, vs_previous=str, previous_period=str, has_previous=bool,
         previous_value=float, vs_last_year=str, last_year_period=str, has_last_year=bool,
         last_year_value=float, variation=str, spc_summary=str, sparkline=list,
         exception=bool, exception_reasons=list, frequency=str, kind=str)
    where = "%s(%s)" % (where, m.get("measure_id"))
    one_of(m, where, "unit", ["count", "percent", "rate_per_1000", "days", "gbp", "score"])
    one_of(m, where, "polarity", ["higher", "lower", "none"])
    one_of(m, where, "frequency", ["quarterly", "six-monthly", "annual"])
    one_of(m, where, "kind", ["strategic", "operational"])
    one_of(m, where, "rag", ["rag_grey", "rag_red", "rag_amber", "rag_green", "rag_no_data"])
    for k in ("vs_previous", "vs_last_year"):
        if not str(m.get(k, "")).startswith("direction_"):
            problems.append("%s.%s %r" % (where, k, m.get(k)))
    if not str(m.get("variation", "")).startswith("variation_"):
        problems.append("%s.variation %r" % (where, m.get("variation")))
    if not PERIOD.match(m.get("period", "")):
        problems.append("%s.period %r" % (where, m.get("period")))
    if not m.get("rag_rule") or not m.get("spc_summary"):
        problems.append("%s: a judgement without its words" % where)
    if len(m.get("sparkline", [])) > 8:
        problems.append("%s: more than 8 sparkline points" % where)
    for i, p in enumerate(m.get("sparkline", [])):
        point(p, "%s.sparkline[%d]" % (where, i))
    # a locality exception (locality_name set) says which locality and why in words
    loc = m.get("locality_name")
    for r in m.get("exception_reasons", []):
        if loc and not (r.startswith("red in %s: " % loc) or
                        r.startswith("significantly worse than the borough in %s: " % loc)):
            problems.append("%s: locality exception reason %r" % (where, r))
        elif not loc and r not in ("red", "special cause concern", "worsening"):
            problems.append("%s: exception reason %r" % (where, r))
    if m.get("exception") != bool(m.get("exception_reasons")):
        problems.append("%s: exception flag and reasons disagree" % where)
    red = [r for r in m.get("exception_reasons", []) if r == "red" or (loc and r.startswith("red in "))]
    if m.get("rag") == "rag_red" and not red:
        problems.append("%s: red but not an exception" % where)

def section(o, where, full):
    need(o, where, objective_id=str, title=str, kind=str, red=int, amber=int, green=int,
         grey=int, no_data=int, measures=list, commentary=str, commentary_by=str, interventions=list,
         risks=list, resources=list, case_studies=list, outcomes=list)
    one_of(o, where, "kind", ["policy", "scorecard"])
    counts = {"rag_red": 0, "rag_amber": 0, "rag_green": 0, "rag_grey": 0, "rag_no_data": 0}
    for i, m in enumerate(o.get("measures", [])):
        line(m, "%s.measures[%d]" % (where, i))
        counts[m.get("rag")] = counts.get(m.get("rag"), 0) + 1
    if [o.get(k) for k in ("red", "amber", "green", "grey", "no_data")] != \
       [counts[k] for k in ("rag_red", "rag_amber", "rag_green", "rag_grey", "rag_no_data")]:
        problems.append("%s: RAG counts do not match its lines" % where)
    for i, iv in enumerate(o.get("interventions", [])):
        need(iv, "%s.interventions[%d]" % (where, i), intervention_id=str, title=str,
             directorate=str, status=str, text=str, period=str, updated_by=str)
        one_of(iv, "%s.interventions[%d]" % (where, i), "status",
               ["on-track", "at-risk", "off-track", "complete", ""])
    for i, r in enumerate(o.get("risks", [])):
        w = "%s.risks[%d]" % (where, i)
        need(r, w, risk_id=str, title=str, directorate=str, likelihood=int, impact=int,
             score=int, has_previous=bool, previous_score=int, previous_period=str,
             movement=str, mitigation=str)
        one_of(r, w, "movement", ["up", "down", "no change", "new", "not assessed"])
        if r.get("score") != r.get("likelihood", 0) * r.get("impact", 0):
            problems.append("%s: score is not likelihood x impact" % w)
    for i, r in enumerate(o.get("resources", [])):
        w = "%s.resources[%d]" % (where, i)
        need(r, w, subject_id=str, label=str, year=str, budget=float, spend=float,
             variance=float)
        if abs(r.get("spend", 0) - r.get("budget", 0) - r.get("variance", 0)) > 0.005:
            problems.append("%s: variance is not spend - budget" % w)
    for i, c in enumerate(o.get("case_studies", [])):
        need(c, "%s.case_studies[%d]" % (where, i), case_study_id=str, title=str, story=str,
             locality=str, measures=list, period=str)

def scorecard(s, where):
    need(s, where, title=str, filter=dict, generated_unix=int, red=int, amber=int, green=int,
         grey=int, no_data=int, provisional=int, objectives=list, server_time_us=int)
    for i, o in enumerate(s.get("objectives", [])):
        section(o, "%s.objectives[%d]" % (where, i), False)
    total = sum(len(o.get("measures", [])) for o in s.get("objectives", []))
    if sum(s.get(k, 0) for k in ("red", "amber", "green", "grey", "no_data")) != total:
        problems.append("%s: counts do not add up to %d lines" % (where, total))

def exceptions(x, where):
    need(x, where, title=str, filter=dict, exceptions=list, server_time_us=int)
    for i, m in enumerate(x.get("exceptions", [])):
        line(m, "%s.exceptions[%d]" % (where, i))
        if not m.get("exception"):
            problems.append("%s.exceptions[%d] is not an exception" % (where, i))
        if m.get("rag") == "rag_no_data":
            problems.append("%s.exceptions[%d] has no data: not an exception" % (where, i))

def locality_line(l, where):
    need(l, where, locality=str, name=str, has_value=bool, value=float, provisional=bool,
         has_interval=bool, lower=float, upper=float, numerator=float, denominator=float,
         comparison=str, comparison_label=str, method=str)
    if l.get("has_interval") and not l["lower"] <= l["value"] <= l["upper"]:
        problems.append("%s: the value lies outside its interval" % where)
    if not l.get("comparison_label"):
        problems.append("%s: a comparison without its words" % where)

kind = name.split("-")[0]
if kind == "scorecard":
    scorecard(d, "scorecard")
elif kind == "exceptions":
    exceptions(d, "exceptions")
elif kind == "completeness":
    need(d, "completeness", title=str, filter=dict, due_date=str, overdue=bool,
         period_state=str, directorates=list, server_time_us=int)
    one_of(d, "completeness", "period_state", ["open", "locked"])
    for i, x in enumerate(d.get("directorates", [])):
        w = "directorates[%d]" % i
        need(x, w, directorate=str, name=str, expected=int, submitted=int, approved=int,
             missing=int, items=list)
        if x.get("expected") != x.get("submitted", 0) + x.get("approved", 0) + x.get("missing", 0):
            problems.append("%s: expected is not submitted + approved + missing" % w)
        if len(x.get("items", [])) != x.get("submitted", 0) + x.get("missing", 0):
            problems.append("%s: items are not the submitted and missing ones" % w)
        for j, it in enumerate(x.get("items", [])):
            need(it, "%s.items[%d]" % (w, j), measure_id=str, title=str, locality=str, status=str,
                 directorate=str, directorate_name=str, period=str)
            if it.get("directorate") != x.get("directorate"):
                problems.append("%s.items[%d]: owner %r" % (w, j, it.get("directorate")))
            one_of(it, "%s.items[%d]" % (w, j), "status", ["missing", "awaiting sign-off"])
elif kind == "trend":
    need(d, "trend", title=str, filter=dict, measure=dict, points=list, spc=dict,
         server_time_us=int)
    line(d.get("measure", {}), "trend.measure")
    for i, p in enumerate(d.get("points", [])):
        point(p, "trend.points[%d]" % i)
    need(d.get("spc", {}), "trend.spc", insufficient=bool, n=int, mean=float, upl=float,
         lpl=float, upper_2sigma=float, lower_2sigma=float, variation=str, assurance=str,
         summary=str, assurance_label=str)
    s = d.get("spc", {})
    if not s.get("insufficient") and not s["lpl"] <= s["lower_2sigma"] <= s["mean"] <= s["upper_2sigma"] <= s["upl"]:
        problems.append("trend.spc: the lines are out of order")
elif kind == "locality":
    need(d, "locality", title=str, filter=dict, measure=dict, borough=dict, localities=list,
         server_time_us=int)
    line(d.get("measure", {}), "locality.measure")
    locality_line(d.get("borough", {}), "locality.borough")
    for i, l in enumerate(d.get("localities", [])):
        locality_line(l, "locality.localities[%d]" % i)
elif kind in ("pack", "cabinet"):
    need(d, "pack", title=str, filter=dict, committee_id=str, committee_name=str, cabinet=bool,
         summary=dict, exceptions=dict, objectives=list, server_time_us=int)
    scorecard(d.get("summary", {}), "pack.summary")
    exceptions(d.get("exceptions", {}), "pack.exceptions")
    for i, o in enumerate(d.get("objectives", [])):
        section(o, "pack.objectives[%d]" % i, True)
    if d.get("cabinet") != (kind == "cabinet"):
        problems.append("pack.cabinet is %r" % d.get("cabinet"))
for p in problems[:10]:
    print(p)
sys.exit(1 if problems else 0)
PY
}

# rows_expected NAME JSONFILE: the CSV rows (after the header) a report has
rows_expected() {
	python3 - "$1" "$2" <<'PY'
import json, sys
name, d = sys.argv[1].split("-")[0], json.load(open(sys.argv[2]))
if name == "scorecard":
    print(sum(len(o["measures"]) for o in d["objectives"]))
elif name in ("pack", "cabinet"):
    # the measures and a row per locality of each by-locality measure (the
    # locality section); then, when the committee has actions, an empty
    # record, their header and one row each
    acts = d.get("actions", [])
    print(sum(len(o["measures"]) for o in d["objectives"])
          + sum(len(r["localities"]) for r in d.get("localities", []))
          + (2 + len(acts) if acts else 0))
elif name == "exceptions":
    print(len(d["exceptions"]))
elif name == "completeness":
    print(sum(len(x["items"]) for x in d["directorates"]))
elif name == "trend":
    print(len(d["points"]))
elif name == "locality":
    print(1 + len(d["localities"]))
PY
}

# same_json FILE: stdin is the same report as FILE, but for timings
same_json() {
	python3 -c '
import json, sys
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k not in ("server_time_us", "generated_unix")}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x
sys.exit(0 if strip(json.load(sys.stdin)) == strip(json.load(open(sys.argv[1]))) else 1)' "$1"
}

csv_rows() {
	python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1], newline=""))); print(len(r)-1 if r else -1)' "$1"
}

mkdir -p "$T/rep"
for spec in "${REPORTS[@]}"; do
	name=${spec%%|*}; args=${spec#*|}
	check_exit 0 "member: report $args (table)" -- as mike report $args
	[ -n "$OUT" ] && ok "$name: the table says something" || not_ok "$name: empty table"
	check_exit 0 "member: report $args --format json" -- as mike report $args --format json -o "$T/rep/$name.json"
	check_fixed "wrote $T/rep/$name.json" "$OUT" "$name: -o says where it wrote"
	if msg=$(check_shape "$name" "$T/rep/$name.json"); then ok "$name: JSON has the documented shape"; else
		not_ok "$name: JSON shape"; printf '%s\n' "$msg" | sed 's/^/#   /'; fi
	check_exit 0 "member: report $args --json" -- as mike --json report $args
	printf '%s' "$OUT" | same_json "$T/rep/$name.json" && ok "$name: --json prints the same report on stdout" || not_ok "$name: --json output differs"
	check_exit 0 "member: report $args --format csv" -- as mike report $args --format csv -o "$T/rep/$name.csv"
	want=$(rows_expected "$name" "$T/rep/$name.json")
	got=$(csv_rows "$T/rep/$name.csv")
	[ "$got" = "$want" ] && ok "$name: CSV has a header and $want rows" || not_ok "$name: CSV has $got rows, wanted $want"
	head -1 "$T/rep/$name.csv" | grep -qE '^[a-z_]+(,[a-z_]+)+' && ok "$name: CSV header" || not_ok "$name: CSV header: $(head -1 "$T/rep/$name.csv")"
	start=$(date +%s%N)
	check_exit 0 "member: report $args --format html" -- as mike report $args --format html -o "$T/rep/$name.html"
	html_ms=$(( ($(date +%s%N) - start) / 1000000 ))
	start=$(date +%s%N)
	check_exit 0 "member: report $args --format pdf" -- as mike report $args --format pdf -o "$T/rep/$name.pdf"
	pdf_ms=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "# $name: html ${html_ms} ms, pdf ${pdf_ms} ms end to end"
	for f in html pdf; do
		"$CHECK_HTML" "$T/rep/$name.$f" "$T/rep/$name-$f.png" >"$T/check.out" 2>&1
		rc=$?
		if [ $rc -eq 0 ]; then ok "$name: the $f is drawn"; elif [ $rc -eq 77 ]; then ok "$name: $f viewer not installed (skipped)"; else
			not_ok "$name: $f check"; sed 's/^/#   /' "$T/check.out" | tail -5; fi
	done
	check_exit 0 "member: report $args | pdf to a pipe" -- sh -c "XDG_CONFIG_HOME=$T/config-mike $PMIF_EXE --server-key $FP report $args --format pdf | head -c 5 > $T/rep/pipe.head"
	[ "$(cat "$T/rep/pipe.head")" = "%PDF-" ] && ok "$name: a PDF goes down a pipe" || not_ok "$name: pipe got $(cat "$T/rep/pipe.head")"
done

# --- what the numbers say (the demo data is built to show these)
J=$T/rep
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(o["measures"]) for o in d["objectives"]))' "$J/scorecard.json")
want=$(seed_count "True")
[ "$n" = "$want" ] && ok "the scorecard has every measure ($want)" || not_ok "the scorecard has $n measures, wanted $want"
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(o["measures"]) for o in d["objectives"]))' "$J/scorecard-osc.json")
want=$(seed_count "'FAMILIES-OSC' in m['committees']")
[ "$n" = "$want" ] && ok "the Families OSC scorecard has its $want measures" || not_ok "Families OSC: $n measures, wanted $want"
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(o["measures"]) for o in d["objectives"]))' "$J/scorecard-birtley.json")
want=$(seed_count "m.get('by_locality')")
[ "$n" = "$want" ] && ok "a locality's scorecard has the $want measures reported by locality" || not_ok "birtley: $n measures, wanted $want"
python3 - "$J/scorecard.json" <<'PY' && ok "six-monthly and annual measures show their own latest period" || not_ok "period of six-monthly/annual lines"
import json, sys
d = json.load(open(sys.argv[1]))
ls = [m for o in d["objectives"] for m in o["measures"]]
want = {"quarterly": "2022-23-Q3", "six-monthly": "2022-23-H1", "annual": "2021-22"}
bad = [(m["measure_id"], m["period"]) for m in ls if m["period"] != want[m["frequency"]]]
print(bad[:5]) if bad else None
sys.exit(1 if bad else 0)
PY
python3 - "$J/scorecard.json" <<'PY' && ok "FSM-UPTAKE: value, target, RAG rule and comparisons" || not_ok "FSM-UPTAKE line"
import json, sys
d = json.load(open(sys.argv[1]))
m = [m for o in d["objectives"] for m in o["measures"] if m["measure_id"] == "FSM-UPTAKE"][0]
ok = (m["has_value"] and m["has_target"] and m["target"] == 84.0
      and m["rag_rule"] == "target 84%, amber within 2 points below, higher is better"
      and m["previous_period"] == "2022-23-Q2" and m["last_year_period"] == "2021-22-Q3"
      and len(m["sparkline"]) == 8 and m["sparkline"][-1]["period"] == "2022-23-Q3")
print(m) if not ok else None
sys.exit(0 if ok else 1)
PY
python3 - "$J/trend.json" <<'PY' && ok "REPAIRS-DAYS: the backlog shows as special cause concern" || not_ok "REPAIRS-DAYS trend"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["spc"]
ok = (not s["insufficient"] and s["n"] == 16 and s["variation"] == "variation_concern"
      and "above the mean" in s["summary"] and len(d["points"]) == 16)
print(s) if not ok else None
sys.exit(0 if ok else 1)
PY
python3 - "$J/trend-window.json" <<'PY' && ok "a trend window of 7 points: limits not computed" || not_ok "trend window"
import json, sys
d = json.load(open(sys.argv[1]))
ok = len(d["points"]) == 7 and d["spc"]["insufficient"] and d["points"][0]["period"] == "2021-22-Q1"
sys.exit(0 if ok else 1)
PY
python3 - "$J/locality.json" <<'PY' && ok "CLAIMANT-RATE: Central worse, Chopwell better (Wilson intervals)" || not_ok "CLAIMANT-RATE locality"
import json, sys
d = json.load(open(sys.argv[1]))
by = {l["locality"]: l for l in d["localities"]}
ok = (by["central"]["comparison"] == "comparison_worse" and by["chopwell"]["comparison"] == "comparison_better"
      and by["central"]["method"] == "Wilson score" and d["borough"]["locality"] == "borough"
      and len(d["localities"]) == 4)
print(by) if not ok else None
sys.exit(0 if ok else 1)
PY
python3 - "$J/completeness.json" <<'PY' && ok "completeness: 2022-23-Q4 open, due, values awaiting sign-off" || not_ok "completeness"
import json, sys
d = json.load(open(sys.argv[1]))
ok = (d["period_state"] == "open" and d["due_date"] != "" and d["overdue"]
      and sum(x["submitted"] for x in d["directorates"]) > 0)
print(d["period_state"], d["due_date"], d["overdue"]) if not ok else None
sys.exit(0 if ok else 1)
PY
python3 - "$J/pack.json" "$J/cabinet.json" <<'PY' && ok "packs: commentary, interventions, risks, resources" || not_ok "pack sections"
import json, sys
p, c = (json.load(open(f)) for f in sys.argv[1:3])
ok = (p["committee_id"] == "FAMILIES-OSC" and not p["cabinet"] and c["cabinet"]
      and c["committee_id"] == "CABINET"
      and all(o["commentary"] for o in p["objectives"])
      and all(o["interventions"] for o in p["objectives"])
      and any(o["risks"] for o in p["objectives"])
      and any(o["resources"] for o in p["objectives"])
      and any(i["status"] for o in c["objectives"] for i in o["interventions"])
      and len(c["objectives"]) == 10)
sys.exit(0 if ok else 1)
PY
python3 - "$J/scorecard.json" "$J/exceptions.json" "$J/cabinet.json" <<'PY' && ok "server_time_us is reported and under 50 ms" || not_ok "server_time_us"
import json, sys
ts = [json.load(open(f))["server_time_us"] for f in sys.argv[1:]]
print("# server_time_us:", ts)
sys.exit(0 if all(0 < t < 50000 for t in ts) else 1)
PY

# --- Missing is not Grey: a measure with a target and no value for the
# period is No data in every format, counted apart from Grey, never an
# exception, named with its owner in completeness and the pack; a context
# measure (LAC-NUMBER) stays Grey.  GAP-TEST is added now, so the counts
# above are the seed's.
check_exit 0 "admin adds a measure with a target and no values" -- as admin admin measure add GAP-TEST --title "Gap test measure" --objective PO1 --kind operational --unit percent --polarity higher --frequency quarterly --directorate CAF --committee FAMILIES-OSC --by-locality no --baseline 2019-20=40 --target 2022-23=50 --tolerance 2 --decimals 1
N=$T/nodata; mkdir -p "$N"
for f in json csv html pdf; do
	check_exit 0 "no data: scorecard as $f" -- as mike report scorecard --period 2022-23-Q3 --format $f -o "$N/scorecard.$f"
done
check_exit 0 "no data: exceptions" -- as mike report exceptions --period 2022-23-Q3 --format json -o "$N/exceptions.json"
check_exit 0 "no data: completeness" -- as mike report completeness --period 2022-23-Q3 --format json -o "$N/completeness.json"
check_exit 0 "no data: pack" -- as mike report pack --committee FAMILIES-OSC --period 2022-23-Q3 --format json -o "$N/pack.json"
if msg=$(check_shape scorecard "$N/scorecard.json"); then ok "no data: the scorecard JSON has the documented shape"; else
	not_ok "no data: scorecard JSON shape"; printf '%s\n' "$msg" | sed 's/^/#   /'; fi
context=$(seed_count "m['polarity'] == 'none'")
python3 - "$N/scorecard.json" "$context" <<'PY' && ok "no data: GAP-TEST is No data, counted apart; LAC-NUMBER stays Grey" || not_ok "no data: scorecard RAG and counts"
import json, sys
d, context = json.load(open(sys.argv[1])), int(sys.argv[2])
ls = {m["measure_id"]: m for o in d["objectives"] for m in o["measures"]}
g, lac = ls["GAP-TEST"], ls["LAC-NUMBER"]
po1 = [o for o in d["objectives"] if o["objective_id"] == "PO1"][0]
ok = (g["rag"] == "rag_no_data" and not g["has_value"] and g["has_target"]
      and not g["exception"] and lac["rag"] == "rag_grey" and lac["has_value"]
      and d["no_data"] == 1 and d["grey"] == context and po1["no_data"] == 1)
print(g["rag"], lac["rag"], d["no_data"], d["grey"], context) if not ok else None
sys.exit(0 if ok else 1)
PY
python3 - "$N/scorecard.csv" <<'PY' && ok "no data: the CSV says 'no data' and the owner" || not_ok "no data: CSV"
import csv, sys
rows = {r["measure_id"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
ok = (rows["GAP-TEST"]["rag"] == "no data" and rows["GAP-TEST"]["directorate"] == "CAF"
      and rows["GAP-TEST"]["value"] == "" and rows["LAC-NUMBER"]["rag"] == "grey")
sys.exit(0 if ok else 1)
PY
check_exit 0 "no data: scorecard as a table" -- as mike report scorecard --period 2022-23-Q3
check_grep "Gap test measure +n/a +50\.0% +(○|\?) No data" "$OUT" "no data: the table shows its symbol and word"
check_grep "Number of looked-after children .* - Grey " "$OUT" "no data: the context measure is Grey in the table"
check_grep "Grey $context (·|,) No data 1" "$OUT" "no data: the table counts it apart from Grey"
html=$(cat "$N/scorecard.html")
check_fixed 'rag-nodata"><span aria-hidden="true">○</span> No data' "$html" "no data: the HTML shows its symbol and word"
check_fixed 'tile nodata"><span class="n">1</span>' "$html" "no data: the HTML counts it in its own tile"
check_fixed '<dt>&#9675; No data</dt>' "$html" "no data: the HTML key explains it"
if command -v pdftotext >/dev/null; then
	pdf=$(pdftotext -layout "$N/scorecard.pdf" - 2>/dev/null)
	check_grep "Gap test measure.*No data" "$pdf" "no data: the PDF shows it on the measure's line"
	check_grep "1 ○ No data" "$pdf" "no data: the PDF counts it in its own tile"
	check_fixed "No data: no value has been entered" "$pdf" "no data: the PDF key explains it"
else
	ok "no pdftotext: PDF text not checked (skipped)"
fi
python3 - "$N/exceptions.json" <<'PY' && ok "no data: GAP-TEST is not an exception" || not_ok "no data: exceptions"
import json, sys
d = json.load(open(sys.argv[1]))
ids = [m["measure_id"] for m in d["exceptions"]]
sys.exit(0 if d["exceptions"] and "GAP-TEST" not in ids else 1)
PY
python3 - "$N/completeness.json" <<'PY' && ok "no data: completeness names GAP-TEST as missing, owned by CAF" || not_ok "no data: completeness"
import json, sys
d = json.load(open(sys.argv[1]))
its = [(x["directorate"], it) for x in d["directorates"] for it in x["items"] if it["measure_id"] == "GAP-TEST"]
ok = (len(its) == 1 and its[0][0] == "CAF" and its[0][1]["status"] == "missing"
      and its[0][1]["directorate"] == "CAF" and its[0][1]["directorate_name"]
      and its[0][1]["period"] == "2022-23-Q3")
print(its) if not ok else None
sys.exit(0 if ok else 1)
PY
python3 - "$N/pack.json" <<'PY' && ok "no data: the pack lists GAP-TEST with its owner, and only what has no value" || not_ok "no data: pack"
import json, sys
d = json.load(open(sys.argv[1]))
nd = d.get("no_data", [])
lines = [m for o in d["objectives"] for m in o["measures"] if not m["has_value"]]
ok = ([i["measure_id"] for i in nd] == [m["measure_id"] for m in lines]
      and any(i["measure_id"] == "GAP-TEST" and i["directorate"] == "CAF" and i["directorate_name"]
              for i in nd)
      and d["summary"]["no_data"] == len(nd))
print(nd) if not ok else None
sys.exit(0 if ok else 1)
PY
check_exit 0 "no data: the pack as a table" -- as mike report pack --committee FAMILIES-OSC --period 2022-23-Q3
check_grep "No data: 1 measure with no value for the period" "$OUT" "no data: the pack table has its list"
check_grep "GAP-TEST Gap test measure \(2022-23-Q3, borough\) - owner: " "$OUT" "no data: the pack table names the owner"

# --- other roles
for who in dora admin; do
	check_exit 0 "$who: scorecard" -- as $who report scorecard --period 2022-23-Q4
	check_exit 0 "$who: exceptions --json" -- as $who --json report exceptions --period 2022-23-Q4 --directorate CAF
	check_exit 0 "$who: completeness" -- as $who report completeness --period 2022-23-Q4 --directorate CAF
	check_exit 0 "$who: trend" -- as $who report trend FSM-UPTAKE --format csv
	check_exit 0 "$who: locality" -- as $who report locality FSM-UPTAKE --period 2022-23-Q4 --format html -o "$T/rep/$who.html"
	check_exit 0 "$who: cabinet pack as PDF" -- as $who report pack --cabinet --period 2022-23-H1 --format pdf -o "$T/rep/$who.pdf"
done

# --- bad input and the exit codes the brief fixes
check_exit 6 "unknown committee" -- as mike report scorecard --period 2022-23-Q3 --committee NOPE
check_grep "there is no committee 'NOPE'" "$ERR" "names the committee"
check_exit 6 "unknown committee for a pack" -- as mike report pack --committee NOPE --period 2022-23-Q3
check_exit 6 "unknown objective" -- as mike report exceptions --period 2022-23-Q3 --objective NOPE
check_exit 6 "unknown directorate" -- as mike report completeness --period 2022-23-Q3 --directorate NOPE
check_exit 6 "unknown locality" -- as mike report scorecard --period 2022-23-Q3 --locality nowhere
check_exit 6 "unknown measure (trend)" -- as mike report trend NOPE
check_grep "there is no measure 'NOPE'" "$ERR" "names the measure"
check_exit 6 "unknown measure (locality)" -- as mike report locality NOPE --period 2022-23-Q3
check_exit 6 "unknown measure with --json" -- as mike --json report trend NOPE
check_grep '"code": "NOT_FOUND"' "$OUT" "json error on stdout"
check_exit 6 "a period outside the framework's years" -- as mike report scorecard --period 2030-31-Q1
for p in 2022-23-Q5 2021-23 2022-23-q1 "" garbage; do
	[ -z "$p" ] && continue
	check_exit 7 "bad period '$p'" -- as mike report scorecard --period "$p"
	check_grep "is not a period" "$ERR" "'$p': period.h's message"
done
check_exit 7 "bad --from for a trend" -- as mike report trend FSM-UPTAKE --from 2022-23-Q9
check_exit 7 "--from after --to" -- as mike report trend FSM-UPTAKE --from 2022-23-Q4 --to 2021-22-Q1
check_exit 7 "bad period for a pack" -- as mike report pack --cabinet --period 2022-23-H3
check_exit 7 "locality report of a borough-only measure" -- as mike report locality PERM-EXCLUSIONS --period 2022-23-Q3
check_exit 2 "scorecard without --period" -- as mike report scorecard
check_grep "give the period" "$ERR" "says to give the period"
check_exit 2 "exceptions without --period" -- as mike report exceptions
check_exit 2 "completeness without --period" -- as mike report completeness
check_exit 2 "locality without --period" -- as mike report locality FSM-UPTAKE
check_exit 2 "pack without --period" -- as mike report pack --cabinet
check_exit 2 "pack without a committee" -- as mike report pack --period 2022-23-Q3
check_exit 2 "--cabinet and another committee" -- as mike report pack --cabinet --committee FAMILIES-OSC --period 2022-23-Q3
check_exit 2 "trend without a measure" -- as mike report trend
check_exit 2 "unknown format" -- as mike report scorecard --period 2022-23-Q3 --format docx
check_exit 2 "--json with --format csv" -- as mike --json report scorecard --period 2022-23-Q3 --format csv
check_exit 2 "unknown option" -- as mike report scorecard --period 2022-23-Q3 --colour
check_exit 2 "-o without a file" -- as mike report scorecard --period 2022-23-Q3 -o
if command -v script >/dev/null; then
	check_exit 2 "a PDF to a terminal is refused" -- script -qec "XDG_CONFIG_HOME=$T/config-mike $PMIF_EXE --server-key $FP report scorecard --period 2022-23-Q3 --format pdf" /dev/null
	check_grep "-o" "$OUT$ERR" "and it says to use -o"
else
	ok "no 'script' to fake a terminal: skipped"
fi
check_exit 1 "-o into a missing directory" -- as mike report scorecard --period 2022-23-Q3 -o "$T/no/such/dir/x.csv" --format csv
check_fixed "cannot write '$T/no/such/dir/x.csv': No such file or directory: nothing was written" "$ERR" "and it says which file, why, and that nothing was written"
[ ! -e "$T/no/such/dir" ] && ok "nothing half-written" || not_ok "a directory appeared"
mkdir -p "$T/rep/in-the-way"
check_exit 1 "-o onto a directory" -- as mike report scorecard --period 2022-23-Q3 -o "$T/rep/in-the-way" --format html
check_fixed "nothing was written" "$ERR" "it says nothing was written"
[ -z "$(ls "$T/rep" | grep '^in-the-way.tmp-')" ] && ok "no temporary file left" || not_ok "a temporary file was left"
check_exit 4 "not logged in" -- as nobody report scorecard --period 2022-23-Q3
check_exit 0 "report --help" -- as mike report scorecard --help
check_fixed "-o FILE" "$OUT" "help shows -o"

finish
