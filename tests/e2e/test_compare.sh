#!/usr/bin/env bash
# End-to-end: comparison with similar councils.  The demo store ships an
# illustrative comparator set; 'pmif report compare MEASURE --period P'
# shows this council's rank and quartile among the comparators in every
# format (table, CSV, JSON, HTML drawn in headless Chromium, PDF through
# pdftoppm), marked illustrative; the scorecard and the committee and
# Cabinet packs carry the position in every format.  Only an admin loads a
# set ('pmif admin comparator import'), each keeping its source and date;
# a bad file is refused with every problem named by its line, in one pass,
# and changes nothing; members and directorate users are refused.  The
# expected ranks come from the demo CSV files, computed here, not from the
# server.
. "$(dirname "$0")/lib.sh"

INIT_ARGS="--framework $SRC/deploy/framework/gateshead.json --demo"
start_server
login_as admin "$ADMIN_PW"
printf 'officer pw 1234\n' | as admin admin user add olga --role directorate --directorate CAF --password-stdin >/dev/null
printf 'member pw 12345\n' | as admin admin user add max --role member --password-stdin >/dev/null
login_as olga 'officer pw 1234'
login_as max 'member pw 12345'
mkdir -p "$T/rep"

# expect MEASURE PERIOD [COMPARATORS.csv]: "rank of quartile" of this council
# (its demo value) among the council rows of the file: rank 1 best, ties
# share the better rank (to one decimal), quartile ceil(4 rank / of)
expect() {
	python3 - "$SRC/deploy/framework/gateshead.json" "$SRC/deploy/demo/values.csv" "$@" <<'PY'
import csv, json, math, sys
fw, vals, m, p = sys.argv[1:5]
cmp_file = sys.argv[5] if len(sys.argv) > 5 else sys.argv[2].replace("values.csv", "comparators.csv")
pol = {x["id"]: x["polarity"] for x in json.load(open(fw))["measures"]}[m]
ours = [float(r["value"]) for r in csv.DictReader(open(vals))
        if r["measure"] == m and r["period"] == p and r["locality"] == "borough"][0]
others = [float(r["value"]) for r in csv.DictReader(open(cmp_file))
          if r["measure"] == m and r["period"] == p and r["kind"] in ("council", "")]
def better(a, b):
    return b - a >= 0.05 if pol == "lower" else a - b >= 0.05
rank = 1 + sum(1 for o in others if better(o, ours))
of = len(others) + 1
print(rank, of, (4 * rank + of - 1) // of)
PY
}
ordinal() { case $1 in 1|21) echo "${1}st" ;; 2|22) echo "${1}nd" ;; 3|23) echo "${1}rd" ;; *) echo "${1}th" ;; esac; }
quartile_word() { case $1 in 1) echo top ;; 2) echo second ;; 3) echo third ;; 4) echo bottom ;; esac; }
# position MEASURE PERIOD [CSV]: the sentence the server should say
position() {
	local r of q pol
	read -r r of q < <(expect "$@")
	pol=$(python3 -c 'import json,sys;print({x["id"]:x["polarity"] for x in json.load(open(sys.argv[1]))["measures"]}[sys.argv[2]])' "$SRC/deploy/framework/gateshead.json" "$1")
	echo "$(ordinal "$r") of $of similar councils, $(quartile_word "$q") quartile ($pol is better)"
}
snapshot() { as admin --json comparator list | md5sum; }

# --- the demo set, read by a member, in every format
FSM=$(position FSM-UPTAKE 2022-23-Q3)
read -r fsm_rank fsm_of fsm_q < <(expect FSM-UPTAKE 2022-23-Q3)
check_exit 0 "member: report compare as a table" -- as max report compare FSM-UPTAKE --period 2022-23-Q3
check_fixed "Position: $FSM" "$OUT" "the position in words ($FSM)"
check_fixed "ILLUSTRATIVE figures" "$OUT" "the demo set is marked illustrative"
check_grep "^> +$fsm_rank This council .*<- this council" "$OUT" "this council's row is marked in words at its rank"
check_grep "^ +$fsm_rank Neighbour D " "$OUT" "the neighbour with the same figure shares the rank"
check_fixed "England" "$OUT" "the national figure is shown"
check_exit 0 "member: report compare --json" -- as max --json report compare FSM-UPTAKE --period 2022-23-Q3
python3 - "$OUT" "$fsm_rank" "$fsm_of" "$fsm_q" <<'PY' && ok "JSON: rank, quartile, rows best first, references, source" || not_ok "JSON compare report"
import json, sys
r = json.loads(sys.argv[1]); rank, of, q = map(int, sys.argv[2:5])
p = r["position"]
assert p["status"] == "compare_ranked" and p["rank"] == rank and p["of"] == of and p["quartile"] == q, p
assert p["illustrative"] is True and p["source"] and p["as_of"] == "2023-05-31", p
rows = r["rows"]
assert len(rows) == of and [x["rank"] for x in rows] == sorted(x["rank"] for x in rows), rows
us = [x for x in rows if x.get("this_council")]
assert len(us) == 1 and us[0]["rank"] == rank and us[0]["value"] == r["measure"]["value"], us
assert sorted(x["kind"] for x in r["references"]) == ["national", "regional"], r["references"]
assert r["measure"]["compare"]["rank"] == rank
PY
check_exit 0 "member: report compare --format csv" -- as max report compare FSM-UPTAKE --period 2022-23-Q3 --format csv
python3 - "$OUT" "$fsm_rank" "$fsm_of" <<'PY' && ok "CSV: a row per council and reference, this council's with its rank" || not_ok "CSV compare report"
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
rank, of = int(sys.argv[2]), int(sys.argv[3])
assert len(rows) == of + 2, len(rows)
us = [r for r in rows if r["this_council"] == "yes"]
assert len(us) == 1 and int(us[0]["rank"]) == rank and us[0]["illustrative"] == "yes", us
assert all(r["source"] and r["date"] == "2023-05-31" for r in rows)
assert [r["rank"] for r in rows if r["kind"] != "council"] == ["", ""]
PY
check_exit 0 "member: report compare as HTML" -- as max report compare FSM-UPTAKE --period 2022-23-Q3 --format html -o "$T/rep/compare.html"
html=$(cat "$T/rep/compare.html")
check_fixed "Illustrative figures: the comparator set is made up" "$html" "HTML: the illustrative banner"
check_fixed "<tr class=\"us\">" "$html" "HTML: this council's row highlighted"
check_fixed "&#9664; this council" "$html" "HTML: and named in words"
check_grep "<svg[^>]*role=\"img\"" "$html" "HTML: the bar chart"
check_fixed "this council&#39;s value against $((fsm_of - 1)) similar councils, best first; $FSM" "$html" "HTML: the chart says what it shows"
bash "$SRC/tests/e2e/check_html.sh" "$T/rep/compare.html" "$T/rep/compare-html.png"
case $? in 0) ok "HTML compare report drawn in headless Chromium" ;; 77) ok "no Chromium: HTML look skipped" ;; *) not_ok "HTML compare report does not draw" ;; esac
check_exit 0 "member: report compare as PDF" -- as max report compare FSM-UPTAKE --period 2022-23-Q3 --format pdf -o "$T/rep/compare.pdf"
if command -v pdftotext >/dev/null; then
	pdf=$(pdftotext "$T/rep/compare.pdf" - | tr -s ' \n' '  ')
	check_fixed "$FSM" "$pdf" "PDF: the position in words"
	check_fixed "ILLUSTRATIVE figures" "$pdf" "PDF: marked illustrative"
	check_fixed "this council" "$pdf" "PDF: this council named"
	check_fixed "Each council's value, best first" "$pdf" "PDF: the chart's heading"
	echo "# compare.pdf: $(pdfinfo "$T/rep/compare.pdf" | awk '/^Pages:/ {print $2}') pages"
else
	ok "no pdftotext: PDF text skipped"
fi
bash "$SRC/tests/e2e/check_html.sh" "$T/rep/compare.pdf" "$T/rep/compare-pdf.png"
case $? in 0) ok "PDF compare report drawn through pdftoppm" ;; 77) ok "no pdftoppm: PDF look skipped" ;; *) not_ok "PDF compare report does not draw" ;; esac

# lower is better, and too few to rank, and no set at all
SICK=$(position SICKNESS-DAYS 2022-23-Q4)
check_exit 0 "lower is better: sickness" -- as max report compare SICKNESS-DAYS --period 2022-23-Q4
check_fixed "Position: $SICK" "$OUT" "ranked lowest first ($SICK)"
check_exit 0 "too few comparators" -- as max report compare EMPLOYMENT-RATE --period 2022-23-Q3
check_fixed "not ranked: only 2 other councils to compare with (at least 3 are needed)" "$OUT" "too few: says so, gives no rank"
check_exit 0 "too few, JSON" -- as max --json report compare EMPLOYMENT-RATE --period 2022-23-Q3
python3 -c 'import json,sys; p=json.loads(sys.argv[1])["position"]; assert p["status"]=="compare_too_few" and p.get("rank", 0)==0 and p.get("quartile", 0)==0 and p["of"]==3, p' "$OUT" && ok "too few: no rank in JSON" || not_ok "too few JSON"
check_exit 0 "no set loaded" -- as max report compare CSC-REREFERRALS --period 2022-23-Q3
check_fixed "no comparator set has been loaded for CSC-REREFERRALS 2022-23-Q3" "$OUT" "no set: says so"
check_no_grep "pmif admin" "$OUT" "and does not tell a member to run an admin command"
# a quarterly measure in a half-year report compares its last quarter
check_exit 0 "compare for a half-year" -- as max report compare FSM-UPTAKE --period 2022-23-H1
check_fixed "Position: $(position FSM-UPTAKE 2022-23-Q2)" "$OUT" "H1 compares 2022-23-Q2"

# --- the scorecard: a column, in every format
check_exit 0 "scorecard table" -- as max report scorecard --period 2022-23-Q3 --objective PO1
check_grep "Similar" "$OUT" "scorecard: the Similar column"
check_grep "Free school meal.* $fsm_rank/$fsm_of Q$fsm_q" "$OUT" "scorecard: FSM's cell $fsm_rank/$fsm_of Q$fsm_q"
check_fixed "Compared: $FSM" "$OUT" "scorecard: the words under the row"
check_exit 0 "scorecard CSV" -- as max report scorecard --period 2022-23-Q3 --format csv
python3 - "$T/out" "$fsm_rank" "$fsm_of" "$fsm_q" <<'PY' && ok "scorecard CSV: similar_* columns, empty without a set" || not_ok "scorecard CSV columns"
import csv, sys
rows = {r["measure_id"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
f = rows["FSM-UPTAKE"]
assert (f["similar_rank"], f["similar_of"], f["similar_quartile"]) == tuple(sys.argv[2:5]), f
assert f["similar_illustrative"] == "yes" and f["similar_date"] == "2023-05-31"
assert rows["CSC-REREFERRALS"]["similar_rank"] == "" and rows["CSC-REREFERRALS"]["similar_position"] == ""
PY
check_exit 0 "scorecard JSON" -- as max --json report scorecard --period 2022-23-Q3
python3 - "$T/out" "$fsm_rank" <<'PY' && ok "scorecard JSON: lines carry compare" || not_ok "scorecard JSON compare"
import json, sys
lines = {m["measure_id"]: m for o in json.load(open(sys.argv[1]))["objectives"] for m in o["measures"]}
assert lines["FSM-UPTAKE"]["compare"]["rank"] == int(sys.argv[2])
assert lines["CSC-REREFERRALS"].get("compare") is None
PY
check_exit 0 "scorecard HTML" -- as max report scorecard --period 2022-23-Q3 --format html -o "$T/rep/scorecard.html"
check_fixed "<th scope=\"col\">Similar councils</th>" "$(cat "$T/rep/scorecard.html")" "scorecard HTML: the column"
check_fixed "$FSM" "$(cat "$T/rep/scorecard.html")" "scorecard HTML: the words"
check_exit 0 "scorecard PDF" -- as max report scorecard --period 2022-23-Q3 --format pdf -o "$T/rep/scorecard.pdf"
if command -v pdftotext >/dev/null; then
	pdf=$(pdftotext "$T/rep/scorecard.pdf" - | tr -s ' \n' '  ')
	check_fixed "Similar: $fsm_rank/$fsm_of Q$fsm_q (illus.)" "$pdf" "scorecard PDF: the cell"
	check_fixed "Compared: $FSM" "$pdf" "scorecard PDF: the words"
fi

# --- the packs, in every format
NEET=$(position NEET-16-17 2022-23-Q3)
check_exit 0 "committee pack table" -- as max report pack --committee FAMILIES-OSC --period 2022-23-Q3
check_fixed "Compared: $FSM" "$OUT" "pack table: FSM's position"
check_fixed "Compared: $NEET" "$OUT" "pack table: NEET's position ($NEET)"
check_exit 0 "committee pack CSV" -- as max report pack --committee FAMILIES-OSC --period 2022-23-Q3 --format csv
check_fixed "$NEET" "$OUT" "pack CSV: NEET's position"
check_exit 0 "committee pack JSON" -- as max --json report pack --committee FAMILIES-OSC --period 2022-23-Q3
python3 -c 'import json,sys; k=json.load(open(sys.argv[1])); assert any(m.get("compare",{}).get("illustrative") for o in k["objectives"] for m in o["measures"])' "$T/out" && ok "pack JSON: positions, illustrative" || not_ok "pack JSON"
for who in committee cabinet; do
	if [ $who = committee ]; then args="--committee FAMILIES-OSC --period 2022-23-Q3"; else args="--cabinet --period 2022-23-H1"; fi
	check_exit 0 "$who pack HTML" -- as max report pack $args --format html -o "$T/rep/$who.html"
	check_fixed "Similar councils" "$(cat "$T/rep/$who.html")" "$who pack HTML: the column"
	check_fixed "Illustrative figures" "$(cat "$T/rep/$who.html")" "$who pack HTML: marked illustrative"
	bash "$SRC/tests/e2e/check_html.sh" "$T/rep/$who.html" "$T/rep/$who-html.png"
	case $? in 0) ok "$who pack HTML drawn" ;; 77) ok "no Chromium: skipped" ;; *) not_ok "$who pack HTML does not draw" ;; esac
	check_exit 0 "$who pack PDF" -- as max report pack $args --format pdf -o "$T/rep/$who.pdf"
	if command -v pdftotext >/dev/null; then
		pdf=$(pdftotext "$T/rep/$who.pdf" - | tr -s ' \n' '  ')
		check_fixed "ILLUSTRATIVE figures" "$pdf" "$who pack PDF: marked illustrative"
		check_grep "Similar: [0-9]+/[0-9]+ Q[1-4]" "$pdf" "$who pack PDF: the cell"
		echo "# $who pack PDF: $(pdfinfo "$T/rep/$who.pdf" | awk '/^Pages:/ {print $2}') pages"
	fi
	bash "$SRC/tests/e2e/check_html.sh" "$T/rep/$who.pdf" "$T/rep/$who-pdf.png"
	case $? in 0) ok "$who pack PDF drawn" ;; 77) ok "no pdftoppm: skipped" ;; *) not_ok "$who pack PDF does not draw" ;; esac
done
check_fixed "Compared: $(position SICKNESS-DAYS 2022-23-Q2)" "$(pdftotext "$T/rep/cabinet.pdf" - 2>/dev/null | tr -s ' \n' '  ')" "cabinet pack PDF: sickness for 2022-23-Q2"

# --- who may load: only an admin; everyone may read
cat >"$T/good.csv" <<'CSV'
measure,period,comparator,value,kind
CSC-REREFERRALS,2022-23-Q3,Council W,21.4,council
CSC-REREFERRALS,2022-23-Q3,Council X,18.2,
CSC-REREFERRALS,2022-23-Q3,Council Y,"19.9",council
CSC-REREFERRALS,2022-23-Q3,Council Z,25.0,council
CSC-REREFERRALS,2022-23-Q3,England,22.1,national
CSV
before=$(snapshot)
audit_before=$(audit_count)
for who in max olga; do
	check_exit 5 "$who may not load comparators" -- as $who admin comparator import "$T/good.csv" --source "LG Inform" --date 2023-06-30
	check_grep "may not load comparator figures" "$ERR" "$who: told in words"
	check_no_grep "Comparator|Import[A-Z]" "$ERR" "$who: no internal method name"
	check_exit 0 "$who may list them" -- as $who comparator list --measure FSM-UPTAKE
	check_grep "FSM-UPTAKE +2022-23-Q3 +15 +2 +2023-05-31 +ILLUSTRATIVE" "$OUT" "$who: the list shows councils, references, date, illustrative"
	check_exit 0 "$who may read the comparison" -- as $who report compare FSM-UPTAKE --period 2022-23-Q4
done
check_exit 4 "not logged in" -- as nobody admin comparator import "$T/good.csv" --source "LG Inform" --date 2023-06-30
[ "$(snapshot)" = "$before" ] && [ "$(audit_count)" = "$audit_before" ] && ok "refused loads changed nothing" || not_ok "a refused load changed something"

# --- an admin loads a set: kept with its source and date
check_exit 0 "dry run" -- as admin admin comparator import "$T/good.csv" --source "LG Inform, CIPFA nearest neighbours" --date 2023-06-30 --dry-run
check_fixed "dry run, nothing changed: 5 rows: 1 comparator set would be written" "$OUT" "dry run says what it would do"
[ "$(snapshot)" = "$before" ] && ok "the dry run changed nothing" || not_ok "the dry run changed the sets"
check_exit 0 "admin loads a set" -- as admin admin comparator import "$T/good.csv" --source "LG Inform, CIPFA nearest neighbours" --date 2023-06-30
check_fixed "loaded 5 rows: 1 comparator set written (0 replacing an earlier one)" "$OUT" "says what it loaded"
CSC=$(position CSC-REREFERRALS 2022-23-Q3 "$T/good.csv")
check_exit 0 "the new set in the report" -- as max report compare CSC-REREFERRALS --period 2022-23-Q3
check_fixed "Position: $CSC" "$OUT" "ranked, lower is better ($CSC)"
check_fixed "LG Inform, CIPFA nearest neighbours, 2023-06-30" "$OUT" "with its source and date"
check_no_grep "ILLUSTRATIVE" "$OUT" "a real set is not marked illustrative"
check_exit 0 "audit" -- as admin --json admin audit --user admin
python3 - "$OUT" <<'PY' && ok "the load is audited with source and date" || not_ok "audit of the load"
import json, sys
e = [x for x in json.loads(sys.argv[1])["entries"] if x["key"].startswith("comparators/")][-1]
assert e["key"] == "comparators/good.csv" and "LG Inform" in e["detail"] and "2023-06-30" in e["detail"], e
assert "1 sets (0 replaced)" in e["detail"], e
PY
# replacing: the same measure and period again
sed 's/Council W,21.4/Council W,17.0/' "$T/good.csv" >"$T/again.csv"
check_exit 0 "load it again" -- as admin admin comparator import "$T/again.csv" --source "LG Inform (revised)" --date 2023-07-15
check_fixed "(1 replacing an earlier one)" "$OUT" "replaces the set"
check_exit 0 "the revised set" -- as max report compare CSC-REREFERRALS --period 2022-23-Q3
check_fixed "Position: $(position CSC-REREFERRALS 2022-23-Q3 "$T/again.csv")" "$OUT" "ranked on the revised figures"
check_fixed "LG Inform (revised), 2023-07-15" "$OUT" "with the new source and date"

# --- bad files: every problem by its line, in one pass, nothing changed
cat >"$T/bad.csv" <<'CSV'
measure,period,comparator,value,kind
NOPE,2022-23-Q3,Council A,1,council
FSM-UPTAKE,2022-23-Q9,Council A,1,council
FSM-UPTAKE,2022-23,Council A,1,council
FSM-UPTAKE,2022-23-Q3,,1,council
FSM-UPTAKE,2022-23-Q3,Council B,lots,council
FSM-UPTAKE,2022-23-Q3,Council C,nan,council
FSM-UPTAKE,2022-23-Q3,Council D,1,county
FSM-UPTAKE,2022-23-Q3,Council E,1,council
FSM-UPTAKE,2022-23-Q3,Council E,2,council
FSM-UPTAKE,2022-23-Q3,Council F,1
FSM-UPTAKE,2030-31-Q3,Council G,1,council
CSV
before=$(snapshot)
audit_before=$(audit_count)
check_exit 7 "a bad file is refused" -- as admin admin comparator import "$T/bad.csv" --source "LG Inform" --date 2023-06-30
check_fixed "bad.csv was refused and nothing was loaded: 10 problems" "$ERR" "counts the problems"
for want in "line 2: there is no measure 'NOPE'" "line 3: '2022-23-Q9' is not a period" "line 4: period 2022-23: FSM-UPTAKE is reported for a quarter" \
	"line 5: comparator: missing" "line 6: value: 'lots' is not a number" "line 7: value: 'nan' is not a number" \
	"line 8: kind: 'county' is not one of council, national, regional" "line 10: repeats Council E for FSM-UPTAKE 2022-23-Q3" \
	"line 11: has 4 fields, but a row needs 5" "line 12: "; do
	check_fixed "$want" "$ERR" "names: $want"
done
check_no_grep "line 9:" "$ERR" "the first of the repeated rows is not a problem"
[ "$(snapshot)" = "$before" ] && [ "$(audit_count)" = "$audit_before" ] && ok "the refused file changed nothing" || not_ok "a refused file changed something"
printf 'measure,period,council,value\nFSM-UPTAKE,2022-23-Q3,A,1\n' >"$T/header.csv"
check_exit 7 "a wrong header" -- as admin admin comparator import "$T/header.csv" --source S --date 2023-06-30
check_fixed "line 1: the header must be exactly 'measure,period,comparator,value,kind'" "$ERR" "says the header it needs"
printf 'measure,period,comparator,value,kind\n' >"$T/empty.csv"
check_exit 7 "no figures" -- as admin admin comparator import "$T/empty.csv" --source S --date 2023-06-30
check_fixed "the file has no figures" "$ERR" "says it is empty"
check_exit 7 "a date that is not one" -- as admin admin comparator import "$T/good.csv" --source S --date 2023-02-30
check_fixed "--date '2023-02-30' is not a date" "$ERR" "names the date"
check_exit 7 "an empty source" -- as admin admin comparator import "$T/good.csv" --source "" --date 2023-06-30
check_fixed "say where the figures come from" "$ERR" "asks for the source"
check_exit 2 "no --source" -- as admin admin comparator import "$T/good.csv" --date 2023-06-30
check_exit 2 "no file" -- as admin admin comparator import --source S --date 2023-06-30
check_exit 7 "a file that is not there" -- as admin admin comparator import "$T/nope.csv" --source S --date 2023-06-30
check_fixed "cannot read '$T/nope.csv'" "$ERR" "names the file"
[ "$(snapshot)" = "$before" ] && ok "none of them changed anything" || not_ok "a refusal changed the sets"

# --- report compare: bad input
check_exit 2 "compare without a period" -- as max report compare FSM-UPTAKE
check_exit 2 "compare without a measure" -- as max report compare --period 2022-23-Q3
check_exit 6 "compare an unknown measure" -- as max report compare NOPE --period 2022-23-Q3
check_fixed "there is no measure 'NOPE'" "$ERR" "names the measure"
check_exit 7 "compare a bad period" -- as max report compare FSM-UPTAKE --period 2022-23-Q7
check_exit 6 "compare a period outside the years" -- as max report compare FSM-UPTAKE --period 2030-31-Q1
check_exit 6 "list for an unknown measure" -- as max comparator list --measure NOPE
check_exit 0 "report compare --help" -- as max report compare --help
check_fixed "--period P" "$OUT" "help names --period"
check_exit 0 "admin comparator import --help" -- as admin admin comparator import --help
check_fixed "measure,period,comparator,value,kind" "$OUT" "help names the columns"

finish
