#!/usr/bin/env bash
# End-to-end: locality everywhere it matters, on the demo store.
#   - The committee and Cabinet packs carry a locality section: every
#     by-locality measure of the pack, its localities against the borough
#     with 95% confidence intervals, the same comparison 'report locality'
#     gives, in table, CSV, JSON, HTML (drawn in headless Chromium) and PDF
#     (its pages drawn through pdftoppm; no near-empty page in the Cabinet's).
#   - The exception report (and the packs' exceptions) add each locality
#     value that is red, or significantly worse than the borough, naming
#     the locality and why.
#   - 'value set' warns (and stores: warnings never refuse) when the
#     borough's numerator/denominator (a count's value) disagrees with the
#     sum of the localities', or a locality's makes the sum disagree; no
#     warning while the figures agree or a locality is still missing.
#     Members and other directorates are refused and nothing changes.
# Expected values come from the framework file and the demo CSV, and the
# intervals of percentages are recomputed here (Wilson score).
. "$(dirname "$0")/lib.sh"
INIT_ARGS="--framework $SRC/deploy/framework/gateshead.json --demo"
CHECK_HTML=$SRC/tests/e2e/check_html.sh
FW=$SRC/deploy/framework/gateshead.json
CSV=$SRC/deploy/demo/values.csv
P=2022-23-Q3
start_server
login_as admin "$ADMIN_PW"
printf 'officer pw 1234\n' | as admin admin user add olga --role directorate --directorate CAF --password-stdin >/dev/null
printf 'officer pw 5678\n' | as admin admin user add rita --role directorate --directorate RD --password-stdin >/dev/null
printf 'member pw 12345\n' | as admin admin user add max --role member --password-stdin >/dev/null
login_as olga 'officer pw 1234'
login_as rita 'officer pw 5678'
login_as max 'member pw 12345'
mkdir -p "$T/rep"

# --- the packs' locality section, in JSON, against the framework and the demo CSV
for c in FAMILIES-OSC CABINET; do
	check_exit 0 "member: $c pack as JSON" -- as max --json report pack --committee $c --period $P
	printf '%s' "$OUT" >"$T/rep/$c.json"
	msg=$(python3 - "$FW" "$CSV" "$T/rep/$c.json" "$c" <<'PY'
import csv, json, math, sys
fw, rows, d, c = json.load(open(sys.argv[1])), list(csv.DictReader(open(sys.argv[2]))), json.load(open(sys.argv[3])), sys.argv[4]
com = next(x for x in fw["committees"] if x["id"] == c)
want = [m["id"] for m in fw["measures"] if m.get("by_locality") and c in m["committees"] and m["objective"] in com["objectives"]]
order = [l["measure_id"] for o in d["objectives"] for l in o["measures"]]
want.sort(key=order.index)
got = [r["measure"]["measure_id"] for r in d.get("localities", [])]
bad = []
if got != want:
    bad.append("section measures %s, wanted %s" % (got, want))
val = {(r["measure"], r["period"], r["locality"]): r for r in rows}
locs = [l["id"] for l in fw["localities"] if l["id"] != "borough"]
units = {m["id"]: m["unit"] for m in fw["measures"]}
pol = {m["id"]: m["polarity"] for m in fw["measures"]}
def wilson(k, n):
    z = 1.959963984540054; p = k / n; den = 1 + z * z / n
    mid = p + z * z / (2 * n); e = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (mid - e) / den, 100 * (mid + e) / den
for r in d.get("localities", []):
    mid, per = r["measure"]["measure_id"], r["measure"]["period"]
    if [l["locality"] for l in r["localities"]] != locs:
        bad.append("%s: localities %s" % (mid, [l["locality"] for l in r["localities"]]))
    for l in [r["borough"]] + r["localities"]:
        row = val.get((mid, per, l["locality"]))
        if row is None or abs(float(row["value"]) - l["value"]) > 1e-9:
            bad.append("%s %s: value %s, CSV %s" % (mid, l["locality"], l["value"], row and row["value"]))
            continue
        if units[mid] == "percent" and row["numerator"]:
            lo, hi = wilson(float(row["numerator"]), float(row["denominator"]))
            if abs(lo - l["lower"]) > 1e-6 or abs(hi - l["upper"]) > 1e-6:
                bad.append("%s %s: interval %s-%s, Wilson %s-%s" % (mid, l["locality"], l["lower"], l["upper"], lo, hi))
            if l is not r["borough"]:
                b = r["borough"]["value"]
                worse = hi < b if pol[mid] == "higher" else lo > b
                if worse != (l["comparison"] == "comparison_worse"):
                    bad.append("%s %s: %s, but the interval says worse=%s" % (mid, l["locality"], l["comparison"], worse))
print("\n".join(bad)); print("N=%d" % len(got))
PY
)
	n=$(printf '%s\n' "$msg" | sed -n 's/^N=//p'); problems=$(printf '%s\n' "$msg" | grep -v '^N=')
	[ -z "$problems" ] && ok "$c: the section has its $n by-locality measures, values from the CSV, Wilson intervals, comparisons" ||
		{ not_ok "$c: locality section"; printf '%s\n' "$problems" | head -8 | sed 's/^/#   /'; }
	eval "N_$(echo $c | tr -d -)=$n"
done
[ "$N_FAMILIESOSC" -gt 0 ] && [ "$N_CABINET" -gt 0 ] && ok "both packs have by-locality measures ($N_FAMILIESOSC, $N_CABINET)" || not_ok "no by-locality measures"

# each comparison in the pack is the one 'report locality' gives (reused, not recomputed)
same=0; differ=0
for m in $(python3 -c 'import json,sys; print(" ".join(r["measure"]["measure_id"] for r in json.load(open(sys.argv[1]))["localities"]))' "$T/rep/FAMILIES-OSC.json"); do
	as max --json report locality $m --period $P >"$T/rep/loc-$m.json" 2>/dev/null
	if python3 - "$T/rep/FAMILIES-OSC.json" "$T/rep/loc-$m.json" "$m" <<'PY'
import json, sys
pack, one, m = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
r = next(x for x in pack["localities"] if x["measure"]["measure_id"] == m)
keep = lambda x: {k: x[k] for k in ("measure", "borough", "localities", "title")}
sys.exit(0 if keep(r) == keep(one) else 1)
PY
	then same=$((same + 1)); else differ=$((differ + 1)); fi
done
[ "$differ" -eq 0 ] && [ "$same" -eq "$N_FAMILIESOSC" ] && ok "every section entry is what 'report locality' says ($same measures)" || not_ok "$differ section entries differ from 'report locality'"

# --- the pack in the other formats
for c in FAMILIES-OSC CABINET; do
	n=$(eval echo \$N_$(echo $c | tr -d -))
	check_exit 0 "member: $c pack as a table" -- as max report pack --committee $c --period $P
	check_fixed "Localities: $n measures reported by locality, each locality against the borough with its 95% confidence interval" "$(printf '%s' "$OUT" | tr -s ' \n' '  ')" "$c table: the locality section"
	check_fixed "Interval strip: - the 95% confidence interval" "$OUT" "$c table: the strip's key"
	check_exit 0 "member: $c pack as CSV" -- as max report pack --committee $c --period $P --format csv -o "$T/rep/$c.csv"
	msg=$(python3 - "$T/rep/$c.json" "$T/rep/$c.csv" <<'PY'
import csv, json, sys
d, recs = json.load(open(sys.argv[1])), list(csv.reader(open(sys.argv[2], newline="")))
# the measures' table ends at the first empty record (committee actions follow)
end = next((i for i, r in enumerate(recs) if not r), len(recs))
rows = [dict(zip(recs[0], r)) for r in recs[1:end]]
bad = []
want = sum(len(o["measures"]) for o in d["objectives"]) + sum(len(r["localities"]) for r in d["localities"])
if len(rows) != want:
    bad.append("%d rows, wanted %d" % (len(rows), want))
for r in d["localities"]:
    m = r["measure"]["measure_id"]
    b = [x for x in rows if x["measure_id"] == m and x["locality"] == "borough"]
    if len(b) != 1 or b[0]["vs_borough"] != "reference":
        bad.append("%s: borough row %s" % (m, b))
    for l in r["localities"]:
        x = [x for x in rows if x["measure_id"] == m and x["locality"] == l["locality"]]
        if len(x) != 1:
            bad.append("%s %s: %d rows" % (m, l["locality"], len(x))); continue
        x = x[0]
        if abs(float(x["value"]) - l["value"]) > 1e-6 or x["vs_borough"] != l["comparison_label"] or x["ci_method"] != l["method"]:
            bad.append("%s %s: %s" % (m, l["locality"], x))
        half = 0.5 * 10 ** -(r["measure"]["decimals"] + 1) + 1e-9
        if l["has_interval"] and (abs(float(x["lower_95"]) - l["lower"]) > half or abs(float(x["upper_95"]) - l["upper"]) > half):
            bad.append("%s %s: interval %s %s" % (m, l["locality"], x["lower_95"], x["upper_95"]))
print("\n".join(bad))
PY
)
	[ -z "$msg" ] && ok "$c CSV: a row per measure, then one per locality with its interval and comparison" || { not_ok "$c CSV"; printf '%s\n' "$msg" | head -5 | sed 's/^/#   /'; }
	check_exit 0 "member: $c pack as HTML" -- as max report pack --committee $c --period $P --format html -o "$T/rep/$c.html"
	got=$(grep -c '<article class="loc"' "$T/rep/$c.html")
	[ "$got" = "$n" ] && ok "$c HTML: a chart and table for each of the $n measures" || not_ok "$c HTML: $got locality articles, wanted $n"
	svgs=$(python3 -c 'import sys; s=open(sys.argv[1]).read(); i=s.find("<section class=\"localities\""); print(s[i:s.find("</section>", i)].count("<svg"))' "$T/rep/$c.html")
	[ "$svgs" = "$n" ] && ok "$c HTML: $n SVG locality charts" || not_ok "$c HTML: $svgs SVG charts in the section, wanted $n"
	# the section alone, drawn in headless Chromium
	python3 - "$T/rep/$c.html" "$T/rep/$c-loc.html" <<'PY'
import sys
s = open(sys.argv[1]).read(); i = s.find('<section class="localities"'); j = s.find("</section>", i)
open(sys.argv[2], "w").write(s[:s.find("<main")] + '<main id="main">' + s[i:j + 10] + "</main></body></html>")
PY
	for f in "$T/rep/$c.html" "$T/rep/$c-loc.html"; do
		"$CHECK_HTML" "$f" "${f%.html}.png" >"$T/check.out" 2>&1; rc=$?
		if [ $rc -eq 0 ]; then ok "$c: $(basename "$f") drawn in Chromium"; elif [ $rc -eq 77 ]; then ok "$c: chromium not installed (skipped)"; else
			not_ok "$c: $(basename "$f") check"; tail -3 "$T/check.out" | sed 's/^/#   /'; fi
	done
	check_exit 0 "member: $c pack as PDF" -- as max report pack --committee $c --period $P --format pdf -o "$T/rep/$c.pdf"
	if command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null; then
		pages=$(pdfinfo "$T/rep/$c.pdf" | awk '/^Pages:/ {print $2}')
		echo "# $c pack, $P, demo store: $pages pages"
		text=$(pdftotext "$T/rep/$c.pdf" - | tr -s ' \n' '  ')
		check_fixed "Localities: each against the borough" "$text" "$c PDF: the locality section"
		missing=$(python3 - "$T/rep/$c.json" "$text" <<'PY'
import json, sys
d, text = json.load(open(sys.argv[1])), sys.argv[2]
for r in d["localities"]:
    m = r["measure"]
    if "%s (%s, %s)" % (m["title"], m["measure_id"], m["period"]) not in text:
        print(m["measure_id"])
PY
)
		[ -z "$missing" ] && ok "$c PDF: every by-locality measure titled whole" || not_ok "$c PDF: not found: $missing"
		# the section's own text (the running footer is cut by design)
		section=$(printf '%s' "${text#*Localities: each against the borough}" | sed "s/| generated …//g")
		case $section in *$'\u2026'*) not_ok "$c PDF: the section cuts some text with an ellipsis" ;; *) ok "$c PDF: nothing in the section is cut" ;; esac
		# the section's pages, drawn: not blank, more than one colour
		first=$(for p in $(seq 1 "$pages"); do pdftotext -f $p -l $p "$T/rep/$c.pdf" - | grep -q "Localities: each against the borough" && { echo $p; break; }; done)
		pdftoppm -r 40 -f "$first" -l "$pages" "$T/rep/$c.pdf" "$T/rep/$c-page"
		drawn=$(python3 - "$T/rep"/$c-page*.ppm <<'PY'
import sys
good = 0
for f in sys.argv[1:]:
    b = open(f, "rb").read()
    parts = b.split(b"\n", 3); px = parts[3]
    ink = sum(1 for i in range(0, len(px) - 2, 3) if px[i] < 200 or px[i + 1] < 200 or px[i + 2] < 200)
    colours = len({px[i:i + 3] for i in range(0, len(px) - 2, 30)})
    good += ink > len(px) // 300 and colours > 8
print("%d %d" % (good, len(sys.argv) - 1))
PY
)
		[ "${drawn% *}" = "${drawn#* }" ] && [ "${drawn#* }" -gt 0 ] && ok "$c PDF: the section's ${drawn#* } pages are drawn (pdftoppm)" || not_ok "$c PDF: drawn pages $drawn"
		near=0
		for p in $(seq 1 $((pages - 1))); do
			l=$(pdftotext -f "$p" -l "$p" "$T/rep/$c.pdf" - | grep -c '[A-Za-z]')
			[ "$l" -lt 25 ] && near=$((near + 1))
		done
		[ $near -eq 0 ] && ok "$c PDF: no near-empty page before the last" || not_ok "$c PDF: $near near-empty pages"
	else
		ok "$c PDF: poppler not installed (skipped)"
	fi
done

# a pack for one locality compares that locality alone and adds no locality exceptions
check_exit 0 "member: Families pack for Central" -- as max --json report pack --committee FAMILIES-OSC --period $P --locality central
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
ok = d["localities"] and all([l["locality"] for l in r["localities"]] == ["central"] for r in d["localities"])
ok = ok and not any(m.get("locality_name") for m in d["exceptions"]["exceptions"])
sys.exit(0 if ok else 1)' && ok "a locality's pack: its section compares that locality only, no extra exceptions" || not_ok "a locality's pack"

# --- locality exceptions: red in a locality, or significantly worse than the borough
check_exit 0 "member: exceptions as JSON" -- as max --json report exceptions --committee FAMILIES-OSC --period $P
printf '%s' "$OUT" >"$T/rep/exc.json"
for l in birtley chopwell central felling; do
	as max --json report scorecard --committee FAMILIES-OSC --period $P --locality $l >"$T/rep/sc-$l.json" 2>/dev/null
done
msg=$(python3 - "$T/rep/exc.json" "$T/rep/FAMILIES-OSC.json" "$FW" "$T/rep" <<'PY'
import json, sys
x, pack, fw, rep = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), sys.argv[4]
short = {l["id"]: l["name"].split(" (")[0] for l in fw["localities"]}
want = {}
for r in pack["localities"]:
    for l in r["localities"]:
        if l["comparison"] == "comparison_worse":
            want.setdefault((r["measure"]["measure_id"], l["locality"]), set()).add("worse")
for loc in ("birtley", "chopwell", "central", "felling"):
    sc = json.load(open("%s/sc-%s.json" % (rep, loc)))
    for o in sc["objectives"]:
        for m in o["measures"]:
            if m["rag"] == "rag_red":
                want.setdefault((m["measure_id"], loc), set()).add("red")
got, bad = {}, []
lines = x["exceptions"]
for i, m in enumerate(lines):
    if not m.get("locality_name"):
        continue
    key = (m["measure_id"], m["locality"])
    kinds = set()
    for why in m["exception_reasons"]:
        name = short[m["locality"]]
        if why.startswith("red in %s: " % name):
            kinds.add("red")
        elif why.startswith("significantly worse than the borough in %s: " % name) and "95% interval" in why and "against the borough's" in why:
            kinds.add("worse")
        else:
            bad.append("%s: reason %r" % (key, why))
    if m["locality_name"] != short[m["locality"]]:
        bad.append("%s: named %r" % (key, m["locality_name"]))
    # it follows its measure: the line before is the same measure (borough or another locality)
    # unless the measure's borough line is not an exception
    prev = lines[i - 1]["measure_id"] if i else None
    borough_exc = any(l["measure_id"] == m["measure_id"] and not l.get("locality_name") for l in lines)
    if borough_exc and prev != m["measure_id"]:
        bad.append("%s: not after its measure's line" % (key,))
    got[key] = kinds
if got != want:
    bad.append("locality exceptions %s, wanted %s" % (sorted(got.items()), sorted(want.items())))
if x.get("locality_exceptions", 0) != len(got):
    bad.append("locality_exceptions %s, lines %d" % (x.get("locality_exceptions"), len(got)))
if pack["exceptions"]["exceptions"] != x["exceptions"]:
    bad.append("the pack's exceptions differ from the exception report")
print("\n".join(bad)); print("N=%d" % len(got))
PY
)
n=$(printf '%s\n' "$msg" | sed -n 's/^N=//p'); problems=$(printf '%s\n' "$msg" | grep -v '^N=')
[ -z "$problems" ] && [ "$n" -gt 0 ] && ok "exceptions: the $n red or significantly worse locality values, named, with why, after their measure" ||
	{ not_ok "locality exceptions"; printf '%s\n' "$problems" | head -8 | sed 's/^/#   /'; }
worse_line=$(python3 -c '
import json, sys
x = json.load(open(sys.argv[1]))
print(next(w for m in x["exceptions"] if m.get("locality_name") for w in m["exception_reasons"] if w.startswith("significantly")))' "$T/rep/exc.json")
check_exit 0 "member: exceptions as a table" -- as max report exceptions --committee FAMILIES-OSC --period $P
check_fixed "$n of these are one locality's value: red there, or significantly worse than the borough" "$OUT" "table: says how many are localities"
check_fixed "${worse_line:0:60}" "$(printf '%s' "$OUT" | tr -s ' \n' '  ')" "table: says which locality and why"
check_exit 0 "member: exceptions as CSV" -- as max report exceptions --committee FAMILIES-OSC --period $P --format csv -o "$T/rep/exc.csv"
python3 - "$T/rep/exc.csv" "$T/rep/exc.json" <<'PY' && ok "CSV: a row per exception, each locality's with its locality and reasons" || not_ok "exceptions CSV"
import csv, json, sys
rows, x = list(csv.DictReader(open(sys.argv[1], newline=""))), json.load(open(sys.argv[2]))
assert len(rows) == len(x["exceptions"])
for r, m in zip(rows, x["exceptions"]):
    assert r["measure_id"] == m["measure_id"] and r["locality"] == m["locality"]
    assert r["exception_reasons"] == "; ".join(m["exception_reasons"])
PY
for f in html pdf; do
	check_exit 0 "member: exceptions as $f" -- as max report exceptions --committee FAMILIES-OSC --period $P --format $f -o "$T/rep/exc.$f"
done
if command -v pdftotext >/dev/null; then
	check_fixed "${worse_line:0:50}" "$(pdftotext "$T/rep/exc.pdf" - | tr -s ' \n' '  ')" "PDF: says which locality and why"
fi
check_fixed "$(printf '%s' "${worse_line:0:40}" | sed "s/'/\&#39;/g; s/&/\&amp;/g")" "$(tr -s ' \n' '  ' <"$T/rep/exc.html")" "HTML: says which locality and why"
"$CHECK_HTML" "$T/rep/exc.html" "$T/rep/exc-html.png" >"$T/check.out" 2>&1; rc=$?
[ $rc -eq 0 ] || [ $rc -eq 77 ] && ok "exceptions HTML drawn" || not_ok "exceptions HTML check"

# --- the keying check on value set
Q=2022-23-Q4
# sums N|D|V MEASURE: the localities' sum in the demo CSV for Q
sums() {
	python3 - "$CSV" "$@" "$Q" <<'PY'
import csv, sys
rows, what, m, q = list(csv.DictReader(open(sys.argv[1]))), sys.argv[2], sys.argv[3], sys.argv[4]
col = {"N": "numerator", "D": "denominator", "V": "value"}[what]
print("{:,.0f}".format(sum(float(r[col]) for r in rows if r["measure"] == m and r["period"] == q and r["locality"] != "borough")))
PY
}
row() { awk -F, -v m="$1" -v q="$Q" -v l="$2" '$1==m && $2==q && $3==l {print $4, $5, $6}' "$CSV"; }
read -r bv bn bd <<<"$(row FSM-UPTAKE borough)"
read -r lv ln ld <<<"$(row FSM-UPTAKE birtley)"
get() { as admin --json value get FSM-UPTAKE --period $Q --locality "$1" | python3 -c 'import json,sys; v=json.load(sys.stdin)["values"][0]["value"]; print("%d %d %d" % (v["numerator"], v["denominator"], v["revision"]))'; }
commas() { python3 -c 'import sys; print("{:,}".format(int(float(sys.argv[1]))))' "$1"; }

check_exit 0 "olga: borough numerator that disagrees with the localities: stored" -- as olga value set FSM-UPTAKE $Q "$bv" --numerator $((bn + 1)) --denominator "$bd"
check_fixed "pmif: warning: the borough's numerator for FSM-UPTAKE in $Q is $(commas $((bn + 1))), but the localities' add up to $(sums N FSM-UPTAKE)" "$ERR" "warns: the borough's numerator against the localities' sum"
check_fixed "Birtley & South $(commas "$ln")" "$ERR" "and names each locality's part"
check_fixed "check the borough and locality numerators were keyed correctly" "$ERR" "and says what to do"
check_no_grep "denominator" "$ERR" "the denominator agrees: no warning about it"
check_no_grep "ValueSet|Value[A-Z]" "$ERR" "no internal method name"
[ "$(get borough | cut -d' ' -f1)" = "$((bn + 1))" ] && ok "the warned value was stored (warnings never refuse)" || not_ok "not stored: $(get borough)"
check_exit 0 "olga: the borough back as the localities add up" -- as olga value set FSM-UPTAKE $Q "$bv" --numerator "$bn" --denominator "$bd"
check_no_grep "localities" "$ERR" "figures that add up: no warning"
check_exit 0 "olga: a locality denominator that breaks the sum" -- as olga value set FSM-UPTAKE $Q "$lv" --locality birtley --numerator "$ln" --denominator $((ld + 1))
check_grep "with this value the localities' denominators for FSM-UPTAKE in $Q add up to .*, but the borough's is " "$ERR" "warns: a locality's figure makes the sum disagree with the borough"
check_no_grep "numerators" "$ERR" "the numerators still agree: no warning about them"
check_exit 0 "olga: the locality put right" -- as olga value set FSM-UPTAKE $Q "$lv" --locality birtley --numerator "$ln" --denominator "$ld"
check_no_grep "localities" "$ERR" "put right: no warning"
# a count: the localities' looked-after children add up to the borough's
read -r cv _ _ <<<"$(row LAC-NUMBER borough)"
check_exit 0 "olga: a borough count that disagrees" -- as olga value set LAC-NUMBER $Q $((cv + 9))
check_fixed "the borough's count for LAC-NUMBER in $Q is $((cv + 9)), but the localities' add up to $(sums V LAC-NUMBER)" "$ERR" "warns on a count that does not add up"
check_exit 0 "olga: the count put right" -- as olga value set LAC-NUMBER $Q "$cv"
check_no_grep "localities" "$ERR" "a count that adds up: no warning"
# a measure reported borough-wide only is never checked
read -r pv _ _ <<<"$(row PERM-EXCLUSIONS borough)"
check_exit 0 "olga: a borough-only measure" -- as olga value set PERM-EXCLUSIONS $Q "$pv" --note "keying check test"
check_no_grep "localities" "$ERR" "borough-only: nothing to add up"

# refusals change nothing and warn about nothing
before=$(get borough)
check_exit 5 "member refused: value set" -- as max value set FSM-UPTAKE $Q "$bv" --numerator 1 --denominator "$bd"
check_no_grep "localities|ValueSet" "$ERR" "member: refused without a keying warning or a method name"
check_exit 5 "another directorate refused" -- as rita value set FSM-UPTAKE $Q "$bv" --numerator 1 --denominator "$bd"
check_exit 7 "a locked period refused" -- as olga value set FSM-UPTAKE $P 80 --numerator 1 --denominator 2
check_exit 7 "a value that does not match its numerator/denominator refused" -- as olga value set FSM-UPTAKE $Q 50 --numerator 1 --denominator "$bd"
check_no_grep "localities" "$ERR" "refused: no keying warning"
check_exit 6 "an unknown locality refused" -- as olga value set FSM-UPTAKE $Q 50 --locality nowhere --numerator 1 --denominator 2
[ "$(get borough)" = "$before" ] && ok "refusals changed nothing" || not_ok "changed: $(get borough), was $before"
check_exit 4 "not signed in: refused" -- env XDG_CONFIG_HOME="$T/config-nobody" "$PMIF_EXE" --server-key "$FP" report pack --committee CABINET --period $P

# a locality with no value yet: the sum is incomplete, so nothing is said
check_exit 0 "admin adds a fifth locality" -- as admin admin locality add ryton --name "Ryton & Crawcrook"
check_exit 0 "olga: a borough numerator off while Ryton has no value" -- as olga value set FSM-UPTAKE $Q "$bv" --numerator $((bn + 2)) --denominator "$bd"
check_no_grep "localities" "$ERR" "incomplete localities: no warning"

echo "# passed $PASSED, failed $FAILED"
[ "$FAILED" -eq 0 ]
