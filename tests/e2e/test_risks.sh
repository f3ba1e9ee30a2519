#!/usr/bin/env bash
# End-to-end: interventions and risks as people manage them.  Interventions
# get an owner and milestones with due dates; the server judges each one's
# slippage RAG (Red: a milestone more than 30 days overdue; Amber: up to 30
# days overdue, or due within 14 days with no progress update for the
# period; Green; Complete).  Risks get an owner and a target score; 'report
# risks' and the packs show the 5x5 heat map with movement arrows (HTML in
# headless Chromium, PDF through pdftoppm), with the same data in table,
# CSV and JSON.  Directorate users change only their own interventions and
# risks; members change nothing; bad input is refused and changes nothing.
# Expected RAGs, scores and counts are computed here from the demo files
# (deploy/demo/narrative.json) and the rule, not taken from the server.
. "$(dirname "$0")/lib.sh"

INIT_ARGS="--framework $SRC/deploy/framework/gateshead.json --demo"
CHECK_HTML=$SRC/tests/e2e/check_html.sh
NARRATIVE=$SRC/deploy/demo/narrative.json
start_server
login_as admin "$ADMIN_PW"
printf 'officer pw 1234\n' | as admin admin user add olga --role directorate --directorate CAF --password-stdin >/dev/null
printf 'officer pw 5678\n' | as admin admin user add rita --role directorate --directorate RD --password-stdin >/dev/null
printf 'member pw 12345\n' | as admin admin user add max --role member --password-stdin >/dev/null
login_as olga 'officer pw 1234'
login_as rita 'officer pw 5678'
login_as max 'member pw 12345'

# rag AS_OF PROGRESS(0|1) DUE[:DONE]...: the slippage rule, independently
rag() {
	python3 - "$@" <<'PY'
import datetime, sys
d = lambda s: datetime.date.fromisoformat(s)
as_of, progress, ms = d(sys.argv[1]), sys.argv[2] == "1", sys.argv[3:]
worst, opened = 0, False        # 1 green, 2 amber, 3 red
for m in ms:
    due, _, done = m.partition(":")
    if done and d(done) <= as_of:
        continue
    opened = True
    late = (as_of - d(due)).days
    worst = max(worst, 3 if late > 30 else 2 if late > 0 else 2 if -late <= 14 and not progress else 1)
print("none" if not ms else "complete" if not opened else ["", "green", "amber", "red"][worst])
PY
}

# demo_rags AS_OF: "INTERVENTION RAG" for every demo plan (each has a
# progress update in every quarter of 2022-23)
demo_rags() {
	python3 - "$NARRATIVE" <<'PY' | while read -r iv ms; do echo "$iv $(rag "$1" 1 $ms)"; done
import json, sys
for p in json.load(open(sys.argv[1]))["plans"]:
    print(p["intervention"], " ".join(m["due"] + (":" + m["completed"] if "completed" in m else "") for m in p["milestones"]))
PY
}

# ---------------------------------------------------------------- demo plans
for q in 2022-23-Q3:2022-12-31 2022-23-Q4:2023-03-31; do
	period=${q%%:*} as_of=${q#*:}
	want=$(demo_rags "$as_of" | sort)
	check_exit 0 "plans as of $period, as a member" -- as max --json intervention plan --period "$period"
	got=$(printf '%s' "$OUT" | python3 -c '
import json, sys
r = json.load(sys.stdin)
print(r["as_of"])
for p in r["plans"]:
    if p.get("milestones"): print(p["intervention"], p["rag"])' 2>/dev/null)
	if [ "$(printf '%s\n' "$got" | head -1)" = "$as_of" ] &&
		[ "$(printf '%s\n' "$got" | tail -n +2 | sort)" = "$want" ]; then
		ok "every demo plan's slippage RAG as of $as_of is the rule's"
	else not_ok "slippage RAGs as of $as_of: got [$got], wanted [$want]"; fi
done
check_fixed "PO2-IN1 red" "$(demo_rags 2023-03-31)" "the demo has a Red plan at the year end"
check_fixed "PO2-IN1 green" "$(demo_rags 2022-12-31)" "the same plan was Green a quarter before"
check_exit 0 "plan list as text" -- as max intervention plan PO2-IN1 --period 2022-23-Q4
check_fixed "[Red]" "$OUT" "the text names the RAG"
check_fixed "is 59 days overdue (due 2023-01-31)" "$OUT" "and says which milestone, by how many days"
check_fixed "rule: Red: a milestone more than 30 days overdue" "$OUT" "and the rule in words"

# ---------------------------------------------------------------- a new plan
check_exit 0 "a CAF officer names the owner of a CAF intervention" -- as olga intervention owner PO1-IN3 "Head of Early Help"
check_fixed "owner: Head of Early Help (CAF)" "$OUT" "the owner is shown"
check_exit 0 "adds a milestone" -- as olga intervention milestone add PO1-IN3 --title "Family hubs open in Birtley" --due 2023-03-20
check_grep "^ +1 " "$OUT" "it is milestone 1"
check_exit 0 "and a second" -- as olga intervention milestone add PO1-IN3 --title "Early Help strategy refreshed" --due 2023-01-15
plan_rag() { as max --json intervention plan PO1-IN3 --period "$1" | python3 -c 'import json,sys;print(json.load(sys.stdin)["plans"][0]["rag"])'; }
check_fixed "$(rag 2023-03-31 1 2023-03-20 2023-01-15)" "$(plan_rag 2022-23-Q4)" "75 days overdue: $(rag 2023-03-31 1 2023-03-20 2023-01-15)"
check_exit 0 "completes milestone 2 on a given date" -- as olga intervention milestone complete PO1-IN3 2 --date 2023-02-01
check_fixed "done late" "$OUT" "completed after its due date: done late"
check_fixed "$(rag 2023-03-31 1 2023-03-20 2023-01-15:2023-02-01)" "$(plan_rag 2022-23-Q4)" "one open milestone 11 days overdue: $(rag 2023-03-31 1 2023-03-20 2023-01-15:2023-02-01)"
check_fixed "$(rag 2022-12-31 1 2023-03-20 2023-01-15)" "$(plan_rag 2022-23-Q3)" "as of Q3 nothing was late yet: $(rag 2022-12-31 1 2023-03-20 2023-01-15)"
# due soon with no progress: 2023-24-Q1 has no progress updates in the demo
check_exit 0 "an admin adds a milestone to it" -- as admin intervention milestone add PO1-IN3 --title "Evaluation" --due 2023-07-10
check_fixed "$(rag 2023-06-30 0 2023-03-20 2023-01-15:2023-02-01 2023-07-10)" "$(plan_rag 2023-24-Q1)" "as of 2023-24-Q1: $(rag 2023-06-30 0 2023-03-20 2023-01-15:2023-02-01 2023-07-10)"
check_exit 0 "milestone 1 done" -- as olga intervention milestone complete PO1-IN3 1 --date 2023-03-25
check_fixed "$(rag 2023-06-30 0 2023-03-20:2023-03-25 2023-01-15:2023-02-01 2023-07-10)" "$(plan_rag 2023-24-Q1)" "only the evaluation is open, due within 14 days, no progress: amber"
today_rag() { as max --json intervention plan PO1-IN3 | python3 -c 'import json,sys;print(json.load(sys.stdin)["plans"][0]["rag"])'; }
check_fixed "$(rag "$(date -u +%F)" 1 2023-07-10)" "$(today_rag)" "judged today, after every due date, it is $(rag "$(date -u +%F)" 1 2023-07-10)"
check_exit 0 "the last milestone done" -- as olga intervention milestone complete PO1-IN3 3
check_fixed "complete" "$(today_rag)" "every milestone done: complete"
check_fixed "$(rag 2023-06-30 0 2023-07-10)" "$(plan_rag 2023-24-Q1)" "but done today, so still open as of 2023-24-Q1"
audit=$(as admin admin audit --user olga)
check_fixed "intervention-plan/PO1-IN3" "$audit" "each plan change is in the audit trail"

# ---------------------------------------------------------------- who may not
before=$(as admin --json intervention plan --period 2022-23-Q4)
check_exit 5 "a CAF officer may not add a milestone to a PHW intervention" -- as olga intervention milestone add PO2-IN1 --title x --due 2023-06-30
check_fixed "this belongs to PHW" "$ERR" "the refusal names the owner"
check_exit 5 "nor name its owner" -- as olga intervention owner PO2-IN1 "Someone"
check_exit 5 "nor complete its milestone" -- as olga intervention milestone complete PO2-IN1 2
check_exit 5 "an RD officer may not complete a CAF milestone" -- as rita intervention milestone complete PO1-IN2 2
check_exit 5 "a member may not add a milestone" -- as max intervention milestone add PO1-IN2 --title x --due 2023-06-30
check_no_grep "MilestoneAdd|InterventionOwnerSet" "$ERR" "the refusal names no internal method"
check_fixed "may not add milestones to interventions" "$ERR" "it says what was refused in words"
check_exit 5 "nor name an owner" -- as max intervention owner PO1-IN2 "Someone"
check_exit 5 "nor complete a milestone" -- as max intervention milestone complete PO1-IN2 2

# ---------------------------------------------------------------- bad input
check_exit 7 "a date that does not exist" -- as olga intervention milestone add PO1-IN2 --title x --due 2023-02-30
check_fixed "is not a date: write YYYY-MM-DD" "$ERR" "says how to write a date"
check_exit 7 "a completion date in the future" -- as olga intervention milestone complete PO1-IN2 2 --date 2099-01-01
check_exit 7 "a milestone completed twice" -- as olga intervention milestone complete PO1-IN2 1
check_fixed "was completed on 2022-10-14 already" "$ERR" "says when it was done"
check_exit 6 "a milestone that does not exist" -- as olga intervention milestone complete PO1-IN2 9
check_fixed "has no milestone 9" "$ERR" "names the number"
check_exit 7 "a milestone number that is not one" -- as olga intervention milestone complete PO1-IN2 two
check_exit 6 "an intervention that does not exist" -- as olga intervention milestone add NOPE --title x --due 2023-06-30
check_exit 2 "a milestone without --due" -- as olga intervention milestone add PO1-IN2 --title x
check_exit 7 "an owner of 200 characters" -- as olga intervention owner PO1-IN2 "$(printf 'x%.0s' $(seq 200))"
check_exit 7 "a title of 300 characters" -- as olga intervention milestone add PO1-IN2 --title "$(printf 'y%.0s' $(seq 300))" --due 2023-06-30
after=$(as admin --json intervention plan --period 2022-23-Q4)
if [ "$before" = "$after" ]; then ok "nothing refused changed any plan"; else not_ok "a refused request changed a plan"; fi

# ---------------------------------------------------------------- risks
check_exit 0 "a CAF officer gives a CAF risk an owner and a target" -- as olga risk update R-01 --owner "Head of Placements" --target-likelihood 2 --target-impact 3
check_fixed "owner: Head of Placements; target" "$OUT" "the risk shows its owner and target"
check_exit 5 "an RD officer may not change a CAF risk" -- as rita risk update R-01 --owner "Someone else"
check_exit 5 "a member may not change a risk" -- as max risk update R-02 --target-likelihood 1 --target-impact 1
check_exit 7 "a target likelihood of 6" -- as rita risk update R-02 --target-likelihood 6 --target-impact 3
check_fixed "6 is not a score from 1 to 5" "$ERR" "names the bad score"
check_exit 7 "a target with only its likelihood" -- as rita risk update R-02 --target-likelihood 2
check_exit 0 "an RD officer adds an RD risk with owner and target" -- as rita risk add R-12 --objective BS-EMP --directorate RD --title "Payroll system replacement slips" --owner "Head of HR Systems" --target-likelihood 2 --target-impact 2 --period 2022-23-Q4 --likelihood 4 --impact 3
check_exit 5 "but not a CAF one" -- as rita risk add R-13 --objective PO1 --directorate CAF --title "x"
check_exit 5 "a member may not add risks" -- as max risk add R-14 --objective PO1 --directorate CAF --title "x"

# expected risk lines at 2022-23-Q4 from the demo (and the two changes above)
python3 - "$NARRATIVE" >"$T/want.csv" <<'PY'
import json, sys
n = json.load(open(sys.argv[1]))
for r in n["risks"]:
    a = {x["period"]: (x["likelihood"], x["impact"]) for x in r["assessments"]}
    (l, i), (pl, pi) = a["2022-23-Q4"], a["2022-23-Q3"]
    owner, tl, ti = r["owner"], r["target_likelihood"], r["target_impact"]
    if r["id"] == "R-01":
        owner, tl, ti = "Head of Placements", 2, 3
    mv = "up" if l * i > pl * pi else "down" if l * i < pl * pi else "no change"
    print(",".join(map(str, [r["id"], l, i, l * i, pl, pi, pl * pi, mv, tl, ti, tl * ti,
          "above target" if l * i > tl * ti else "at target"])), owner)
print("R-12,4,3,12,,,,new,2,2,4,above target", "Head of HR Systems")
PY
check_exit 0 "the risk report as CSV, as a member" -- as max report risks --period 2022-23-Q4 --format csv
printf '%s\n' "$OUT" | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    print(",".join(r[k] for k in ("risk_id", "likelihood", "impact", "score", "previous_likelihood",
          "previous_impact", "previous_score", "movement", "target_likelihood", "target_impact",
          "target_score", "against_target")), r["owner"])' >"$T/got.csv"
if [ "$(sort "$T/got.csv")" = "$(sort "$T/want.csv")" ]; then ok "every risk's score, previous assessment, movement, target and owner are the demo's"
else not_ok "risk CSV differs:"; diff <(sort "$T/want.csv") <(sort "$T/got.csv") | head -6 | sed 's/^/#   /'; fi
check_exit 0 "the risk report as JSON" -- as max --json report risks --period 2022-23-Q4
above=$(grep -c ',above target ' "$T/want.csv")
check_fixed "\"above_target\": $above" "$OUT" "JSON counts $above risks above target"
check_exit 0 "the risk report as a table" -- as max report risks --period 2022-23-Q4
check_grep "^ +5 \|" "$OUT" "the table draws the 5x5 grid"
check_grep "R-12: target 4 \(L2 x I2\)" "$OUT" "and lists the new risk with its target"
check_exit 0 "one objective's risks" -- as max report risks --period 2022-23-Q4 --objective BS-FGR --format csv
check_grep "^1,R-05," "$OUT" "BS-FGR's risks only"
check_no_grep "R-01" "$OUT" "and no other objective's"
check_exit 2 "a period is required" -- as max report risks
check_exit 6 "an unknown objective" -- as max report risks --period 2022-23-Q4 --objective NOPE

N=$T/reports
mkdir -p "$N"
check_exit 0 "the heat map as HTML" -- as max report risks --period 2022-23-Q4 --format html -o "$N/risks.html"
html=$(cat "$N/risks.html")
check_fixed 'class="heatmap"' "$html" "the page has the heat map's SVG"
moved=$(awk -F, '$8 == "up" || $8 == "down"' "$T/want.csv" | wc -l)
check_fixed "Risk heat map: 12 risks, 12 assessed" "$html" "its accessible title counts the risks"
check_fixed "moved down since the previous assessment" "$html" "and says what moved"
arrows=$(grep -o '<polyline' "$N/risks.html" | wc -l)
if [ "$arrows" -eq "$moved" ]; then ok "one arrowhead per risk that moved ($moved)"; else not_ok "$arrows arrowheads, $moved risks moved"; fi
check_exit 0 "the HTML heat map draws in headless Chromium" -- bash "$CHECK_HTML" "$N/risks.html" "$N/risks.png"
check_exit 0 "the heat map as PDF" -- as max report risks --period 2022-23-Q4 --format pdf -o "$N/risks.pdf"
check_exit 0 "the PDF's first page draws (pdftoppm)" -- bash "$CHECK_HTML" "$N/risks.pdf" "$N/risks-pdf.png"
if command -v pdftotext >/dev/null; then
	pdf=$(pdftotext -layout "$N/risks.pdf" - 2>/dev/null)
	check_fixed "Key: score now, movement, target" "$pdf" "the PDF has the map's key"
	check_fixed "Likelihood (1 rare ... 5 almost certain)" "$pdf" "and its axes"
	check_fixed "R-12: Payroll system replacement slips" "$pdf" "and names each risk in full"
	check_no_grep "…" "$pdf" "nothing in the PDF is cut with an ellipsis"
fi

# ---------------------------------------------------------------- packs
check_exit 0 "the Families OSC pack as HTML" -- as max report pack --committee FAMILIES-OSC --period 2022-23-Q4 --format html -o "$N/pack.html"
html=$(cat "$N/pack.html")
check_fixed "Strategic risks at a glance" "$html" "the pack has the heat map section"
check_fixed 'class="heatmap"' "$html" "with the SVG map"
check_fixed '<span class="badge red">Red</span><br><span class="mid">milestone 2 &#39;Mental health support teams' "$html" "PO2-IN1 is Red and says which milestone"
check_fixed "is 59 days overdue (due 2023-01-31)" "$html" "and by how much"
check_fixed "owner: Head of Early Help" "$html" "interventions show their owner"
check_fixed "Slippage as of 2023-03-31. Red: a milestone more than 30 days overdue" "$html" "the slippage rule is stated"
check_exit 0 "the pack's HTML draws in headless Chromium" -- bash "$CHECK_HTML" "$N/pack.html" "$N/pack.png"
check_exit 0 "the pack as PDF" -- as max report pack --committee FAMILIES-OSC --period 2022-23-Q4 --format pdf -o "$N/pack.pdf"
check_exit 0 "the pack PDF draws (pdftoppm)" -- bash "$CHECK_HTML" "$N/pack.pdf" "$N/pack-pdf.png"
if command -v pdftotext >/dev/null; then
	pdf=$(pdftotext -layout "$N/pack.pdf" - 2>/dev/null)
	check_fixed "Strategic risks at a glance: the 5 x 5 heat map" "$pdf" "the PDF pack has the heat map"
	check_fixed "Slippage: milestone 2" "$pdf" "and each intervention's slippage"
fi
check_exit 0 "the pack as a table" -- as max report pack --committee FAMILIES-OSC --period 2022-23-Q4
check_grep "\[Red\] Prioritise creating the conditions" "$OUT" "the table pack shows PO2-IN1 Red"
check_grep "\[Amber\] Support our schools" "$OUT" "and PO1-IN2 Amber"
check_exit 0 "the pack as JSON" -- as max --json report pack --committee FAMILIES-OSC --period 2022-23-Q4
got=$(printf '%s' "$OUT" | python3 -c '
import json, sys
for o in json.load(sys.stdin)["objectives"]:
    for i in o.get("interventions", []):
        if i.get("milestones"): print(i["intervention_id"], i["rag"])' | sort)
want=$( (demo_rags 2023-03-31 | grep -E '^PO[12]-'
	echo "PO1-IN3 $(rag 2023-03-31 1 2023-03-20:2023-03-25 2023-01-15:2023-02-01 2023-07-10)") | sort)
if [ "$got" = "$want" ]; then ok "the JSON pack carries every slippage RAG"; else not_ok "pack RAGs [$got], wanted [$want]"; fi
check_exit 0 "the Cabinet pack as PDF" -- as max report pack --cabinet --period 2022-23-H2 --format pdf -o "$N/cabinet.pdf"
check_exit 0 "the Cabinet PDF draws" -- bash "$CHECK_HTML" "$N/cabinet.pdf" "$N/cabinet.png"

# the server kept serving through all of it, with nothing for a sanitizer to say
check_exit 0 "the server still answers" -- as max whoami
stop_server
check_no_grep "AddressSanitizer|LeakSanitizer|runtime error" "$(cat "$T/server.log")" "the server log has no sanitizer report"

finish
