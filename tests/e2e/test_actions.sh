#!/usr/bin/env bash
# End-to-end: committee actions.  An admin records what a committee asked
# for ('pmif action add'); the owning directorate reports progress and
# closes it ('pmif action update', a note required to close); an admin
# corrects it ('action edit'); everyone lists it, filtered by committee,
# directorate, status and --overdue.  Every role tries what it must not,
# and bad input is refused with the brief's exit codes, changing nothing.
# Every change is audited.  The committee's pack lists its actions under
# "Actions from previous meetings" in every format (table, CSV, JSON,
# HTML drawn by headless Chromium, PDF drawn by pdftoppm), overdue ones
# marked in words; the Cabinet pack lists Cabinet's.  Dates are worked
# out from today (UTC), the day the server judges overdue on.
. "$(dirname "$0")/lib.sh"

CHECK_HTML=$SRC/tests/e2e/check_html.sh
# the council's framework, with periods up to 2044-45 (a pack whose period
# begins after today, to show that closed actions drop out of it)
framework_with_measures 0 "X-%d" "x %d" "$T/framework.json"
INIT_ARGS="--framework $T/framework.json"
start_server
# a login is an scrypt hash: on a loaded machine give it a second chance
login() {
	for _ in 1 2 3; do login_as "$1" "$2" && return 0; sleep 1; done
	not_ok "$1 could not log in"
}
login admin "$ADMIN_PW"
printf 'officer pw 1234\n' | as admin admin user add olga --role directorate --directorate RD --password-stdin >/dev/null
printf 'officer pw 5678\n' | as admin admin user add carl --role directorate --directorate CAF --password-stdin >/dev/null
printf 'member pw 12345\n' | as admin admin user add max --role member --password-stdin >/dev/null
login olga 'officer pw 1234'
login carl 'officer pw 5678'
login max 'member pw 12345'

day() { date -u -d "$1" +%F; }
TODAY=$(day today)
MET=$(day "60 days ago")
LATE=$(day "10 days ago")
SOON=$(day "30 days")
FUTURE=$(day "3 days")

# the store's actions and the audit chain's length, to show a refusal changed nothing
snapshot() {
	{ as admin --json action list; audit_count; } 2>/dev/null | md5sum
}

# --- recording: admins only
check_exit 0 "admin records an action" -- as admin action add --committee CORP-RES-OSC \
	--meeting "$MET" --directorate RD --due "$LATE" \
	--text "That a briefing note be provided on recruitment and retention, sickness absence and vacancies."
check_grep "^A-1 +CORP-RES-OSC +met $MET +owner RD +open +overdue: due $LATE, 10 days ago" "$OUT" \
	"the new action is A-1, open and already 10 days overdue"
check_exit 0 "a second, not yet due" -- as admin action add --committee CORP-RES-OSC \
	--meeting "$MET" --directorate HEHC --due "$SOON" --text "A briefing note on the undertaking with the Housing Regulator."
check_grep "^A-2 .* open +due $SOON$" "$OUT" "A-2 is due in 30 days, not overdue"
check_exit 0 "one for the Families OSC" -- as admin action add --committee FAMILIES-OSC \
	--meeting "$TODAY" --directorate CAF --due "$TODAY" --text "A report on free school meal take-up in rural schools."
check_grep "^A-3 .* due $TODAY, today$" "$OUT" "due today is not overdue"
check_exit 0 "one for Cabinet, with a first note" -- as admin --json action add --committee CABINET \
	--meeting "$MET" --directorate RD --due "$(day '5 days ago')" --text "Report on the locality working approach." \
	--note "Birtley pilot under way."
python3 - "$OUT" "$TODAY" <<'PY' && ok "--json: the action as recorded, who recorded it, overdue by 5 days" || not_ok "--json of action add"
import json, sys
v, today = json.loads(sys.argv[1]), sys.argv[2]
a = v["action"]
assert a["id"] == "A-4" and a["committee"] == "CABINET" and a["recorded_by"] == "admin", a
assert a["status"] == "action_open" and a["note"] == "Birtley pilot under way.", a
assert v["overdue"] is True and v["days_overdue"] == 5 and v["status"] == "open", v
assert v["committee_name"] == "Cabinet" and v["directorate_name"] == "Resources & Digital", v
PY

# --- bad input: the brief's codes, one sentence, nothing changed
before=$(snapshot)
# add [OPTION VALUE]...: 'action add' with good options, but for those given
add() {
	local -A o=([committee]=CORP-RES-OSC [meeting]=$MET [directorate]=RD [due]=$SOON [text]=t)
	while [ $# -ge 2 ]; do o[${1#--}]=$2; shift 2; done
	as admin action add --committee "${o[committee]}" --meeting "${o[meeting]}" \
		--directorate "${o[directorate]}" --due "${o[due]}" --text "${o[text]}"
}
check_exit 6 "an unknown committee" -- as admin action add --committee NOPE-OSC --meeting "$MET" --directorate RD --due "$SOON" --text t
check_fixed "there is no committee 'NOPE-OSC'" "$ERR" "names the committee"
check_exit 6 "an unknown directorate" -- as admin action add --committee CORP-RES-OSC --meeting "$MET" --directorate NOPE --due "$SOON" --text t
check_exit 7 "a meeting date that is not a day" -- add --meeting 2022-02-30
check_fixed "the meeting date '2022-02-30' is not a date: write YYYY-MM-DD" "$ERR" "says how to write a date"
check_exit 7 "a due date that is not a date" -- add --due "next week"
check_exit 7 "due before the meeting" -- add --due "$(day '61 days ago')"
check_fixed "the due date is before the meeting that asked for it" "$ERR" "says why"
check_exit 7 "a meeting that has not happened" -- add --meeting "$FUTURE" --due "$SOON"
check_fixed "the meeting date is after today" "$ERR" "says why"
check_exit 7 "a huge text" -- add --text "$(head -c 3000 /dev/zero | tr '\0' x)"
check_fixed "longer than 2000 characters" "$ERR" "says the limit"
check_exit 2 "missing options" -- as admin action add --committee CORP-RES-OSC --text t
check_fixed "an action needs --committee, --meeting, --text, --directorate and --due" "$ERR" "names what is needed"
check_exit 6 "update an action that is not there" -- as admin action update A-99 --status done --note x
check_fixed "there is no action A-99: 'pmif action list' shows them" "$ERR" "names it"
check_exit 7 "update something that is not an action id" -- as admin action update R-01 --status done --note x
check_exit 7 "a status that is not one" -- as admin action update A-1 --status closed
check_fixed "status 'closed' is not one of open, in-progress, done, dropped" "$ERR" "lists the statuses"
check_exit 7 "closing without a note" -- as admin action update A-1 --status done
check_fixed "closing an action needs a note: say what was done with --note" "$ERR" "asks for the note"
check_exit 7 "dropping without a note" -- as admin action update A-1 --status dropped
check_exit 2 "an update with nothing in it" -- as admin action update A-1
check_exit 7 "an edit with nothing in it" -- as admin action edit A-1
check_exit 7 "an edit that would make it due before the meeting" -- as admin action edit A-1 --due 2000-01-01
check_exit 7 "list: a status that is not one" -- as max action list --status finished
check_exit 6 "list: an unknown committee" -- as max action list --committee NOPE-OSC
check_exit 6 "an edit to an unknown committee" -- as admin action edit A-1 --committee NOPE-OSC
[ "$(snapshot)" = "$before" ] && ok "bad input changed nothing" || not_ok "bad input changed the store"
check_exit 0 "a committee that is then retired" -- as admin admin committee add OLD-OSC --name "Old OSC" --kind osc --objective PO1
check_exit 0 "retire it" -- as admin admin committee retire OLD-OSC
before=$(snapshot)
check_exit 7 "an action for a retired committee" -- add --committee OLD-OSC
check_fixed "committee OLD-OSC is retired" "$ERR" "says it is retired"
[ "$(snapshot)" = "$before" ] && ok "refused for a retired committee: nothing changed" || not_ok "store changed"

# --- every role trying what it must not
for who in max olga carl; do
	check_exit 5 "$who may not record an action" -- as $who action add --committee CORP-RES-OSC --meeting "$MET" --directorate RD --due "$SOON" --text t
	check_fixed "which may not record committee actions: ask an administrator" "$ERR" "$who: says who can"
	check_exit 5 "$who may not correct an action" -- as $who action edit A-1 --due "$SOON"
	check_no_grep "Action(Add|Edit|Update|List)" "$ERR" "$who: no internal method name"
done
check_exit 5 "a member may not report progress" -- as max action update A-1 --status in-progress
check_fixed "'max' has the member role, which may not update committee actions" "$ERR" "says why"
check_exit 5 "CAF may not update RD's action" -- as carl action update A-1 --status in-progress
check_fixed "'carl' may change only what CAF owns; this belongs to RD" "$ERR" "names the owner"
check_exit 5 "RD may not update HEHC's action" -- as olga action update A-2 --status done --note "not ours"
check_no_grep "Action(Add|Edit|Update|List)" "$ERR" "no internal method name"
[ "$(snapshot)" = "$before" ] && ok "refused callers changed nothing" || not_ok "a refused caller changed the store"

# --- the owner reports progress, then closes it; each change audited once
audit0=$(audit_count)
check_exit 0 "RD reports progress on its own action" -- as olga action update A-1 --status in-progress --note "Draft with HR."
check_grep "^A-1 .* in progress +overdue: due $LATE, 10 days ago" "$OUT" "in progress, still overdue"
check_fixed "note: Draft with HR." "$OUT" "with the note"
check_exit 0 "RD closes it with a note" -- as olga action update A-1 --status done --note "Briefing note sent to members."
check_grep "^A-1 .* done +due $LATE; done $TODAY$" "$OUT" "done today, no longer overdue"
[ "$(audit_count)" -eq $((audit0 + 2)) ] && ok "two changes, two audit entries" || not_ok "audit count $(audit_count), wanted $((audit0 + 2))"
check_exit 0 "the audit trail" -- as admin --json admin audit --user olga
python3 - "$OUT" <<'PY' && ok "audited: the action's key, who, before and after, the move in words" || not_ok "audit entries of the updates"
import json, sys
es = [e for e in json.loads(sys.argv[1])["entries"] if e["key"] == "action/A-1"]
assert len(es) == 2, es
first, last = es
assert first["detail"] == "open -> in progress" and last["detail"] == "in progress -> done", es
assert first["user"] == "olga", first
def img(e, k):
    v = e.get(k)
    return json.loads(v) if isinstance(v, str) else v
b, a = img(last, "before"), img(last, "after")
assert b["status"] == "action_in_progress" and a["status"] == "action_done", (b, a)
assert a["note"] == "Briefing note sent to members." and a["updated_by"] == "olga", a
PY
check_exit 0 "admin reopens it" -- as admin --json action update A-1 --status open
python3 - "$OUT" <<'PY' && ok "reopened: open, closed date cleared, overdue again" || not_ok "reopen"
import json, sys
v = json.loads(sys.argv[1])
assert v["action"]["status"] == "action_open" and v["action"].get("closed_on", "") == "", v
assert v["overdue"] is True and v["days_overdue"] == 10, v
PY
check_exit 0 "admin corrects the owner and due date" -- as admin action edit A-2 --directorate RD --due "$LATE"
check_grep "^A-2 .* owner RD .* overdue: due $LATE, 10 days ago" "$OUT" "now RD's and overdue"
check_exit 0 "so RD may now update it" -- as olga action update A-2 --note "Regulator meeting booked."
check_exit 0 "the audit chain verifies" -- as admin admin audit verify

# --- listing, as a member, with each filter
check_exit 0 "member lists every action" -- as max action list
check_fixed "4 actions, 3 overdue on $TODAY" "$OUT" "counts them and the overdue ones"
check_exit 0 "--committee" -- as max --json action list --committee CORP-RES-OSC
ids() { python3 -c 'import json,sys; print(" ".join(v["action"]["id"] for v in json.load(sys.stdin).get("actions", [])))'; }
[ "$(printf '%s' "$OUT" | ids)" = "A-1 A-2" ] && ok "the committee's two" || not_ok "--committee gave $(printf '%s' "$OUT" | ids)"
check_exit 0 "--directorate" -- as max --json action list --directorate RD
[ "$(printf '%s' "$OUT" | ids)" = "A-1 A-2 A-4" ] && ok "RD's three" || not_ok "--directorate gave $(printf '%s' "$OUT" | ids)"
check_exit 0 "--overdue" -- as max --json action list --overdue
[ "$(printf '%s' "$OUT" | ids)" = "A-1 A-2 A-4" ] && ok "the three overdue (not A-3, due today)" || not_ok "--overdue gave $(printf '%s' "$OUT" | ids)"
check_exit 0 "--status open --committee FAMILIES-OSC" -- as max --json action list --status open --committee FAMILIES-OSC
[ "$(printf '%s' "$OUT" | ids)" = "A-3" ] && ok "filters combine" || not_ok "gave $(printf '%s' "$OUT" | ids)"
check_exit 0 "a directorate user lists too" -- as carl action list --status dropped
check_fixed "no actions match" "$OUT" "says none match"

# --- the committee's next pack, in every format
mkdir -p "$T/pack"
check_exit 0 "pack: table" -- as max report pack --committee CORP-RES-OSC --period 2022-23-Q4
check_fixed "Actions from previous meetings: 2 actions, 2 overdue on $TODAY" "$OUT" "table: the section, counted"
flat=$(printf '%s' "$OUT" | tr -s ' \n' '  ')
check_fixed "Overdue A-1: open; owner Resources & Digital; asked at the meeting of $MET; overdue: due $LATE, 10 days ago" "$flat" "table: overdue in words"
check_fixed "Note: Regulator meeting booked." "$flat" "table: the owner's note"
check_no_grep "Report on the locality working" "$OUT" "table: not Cabinet's action"
check_exit 0 "pack: json" -- as max report pack --committee CORP-RES-OSC --period 2022-23-Q4 --format json -o "$T/pack/p.json"
python3 - "$T/pack/p.json" "$TODAY" <<'PY' && ok "json: the committee's actions, as of today" || not_ok "json pack actions"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["actions_as_of"] == sys.argv[2], d.get("actions_as_of")
assert [v["action"]["id"] for v in d["actions"]] == ["A-1", "A-2"], d["actions"]
assert all(v["overdue"] and v["days_overdue"] == 10 for v in d["actions"]), d["actions"]
PY
check_exit 0 "pack: csv" -- as max report pack --committee CORP-RES-OSC --period 2022-23-Q4 --format csv -o "$T/pack/p.csv"
python3 - "$T/pack/p.csv" "$LATE" <<'PY' && ok "csv: the measures, an empty record, then a table of the actions" || not_ok "csv pack actions"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
blank = rows.index([])
assert rows[0][:2] == ["objective", "measure_id"] and blank > 1, rows[:2]
acts = [dict(zip(rows[blank + 1], r)) for r in rows[blank + 2:]]
assert rows[blank + 1][:3] == ["action_id", "committee", "meeting"], rows[blank + 1]
assert [a["action_id"] for a in acts] == ["A-1", "A-2"], acts
assert all(a["overdue"] == "yes" and a["days_overdue"] == "10" and a["due"] == sys.argv[2] for a in acts), acts
assert acts[1]["note"] == "Regulator meeting booked." and acts[0]["status"] == "open", acts
PY
check_exit 0 "pack: html" -- as max report pack --committee CORP-RES-OSC --period 2022-23-Q4 --format html -o "$T/pack/p.html"
python3 - "$T/pack/p.html" <<'PY' && ok "html: the section, A-1's row marked overdue in words" || not_ok "html pack actions"
import re, sys
h = open(sys.argv[1]).read()
s = h[h.index('<section class="actions"'):]
s = s[:s.index("</section>")]
assert "Actions from previous meetings" in s and "2 actions, 2 overdue" in s
rows = re.findall(r"<tr[^>]*>.*?</tr>", s, re.S)[1:]
assert len(rows) == 2 and all('class="overdue"' in r and ">Overdue<" in r for r in rows), rows
PY
"$CHECK_HTML" "$T/pack/p.html" "$T/pack/p-html.png" >"$T/check.out" 2>&1
case $? in 0) ok "html: drawn by headless Chromium" ;; 77) ok "# skip: $(cat "$T/check.out")" ;; *) not_ok "html: $(cat "$T/check.out")" ;; esac
check_exit 0 "pack: pdf" -- as max report pack --committee CORP-RES-OSC --period 2022-23-Q4 --format pdf -o "$T/pack/p.pdf"
"$CHECK_HTML" "$T/pack/p.pdf" "$T/pack/p-pdf.png" >"$T/check.out" 2>&1
case $? in 0) ok "pdf: drawn by pdftoppm" ;; 77) ok "# skip: $(cat "$T/check.out")" ;; *) not_ok "pdf: $(cat "$T/check.out")" ;; esac
if command -v pdftotext >/dev/null; then
	pages=$(pdfinfo "$T/pack/p.pdf" | awk '/^Pages:/ {print $2}')
	page=
	for p in $(seq 1 "$pages"); do
		pdftotext -f "$p" -l "$p" "$T/pack/p.pdf" - | grep -q "Actions from previous meetings" && { page=$p; break; }
	done
	[ -n "$page" ] && ok "pdf: the section is on page $page of $pages" || not_ok "pdf: no actions section"
	text=$(pdftotext -f "${page:-1}" -l "${page:-1}" "$T/pack/p.pdf" - | tr -s ' \n' '  ')
	check_fixed "overdue: due $LATE, 10 days ago" "$text" "pdf: overdue in words"
	check_fixed "Regulator meeting booked." "$text" "pdf: the owner's note"
	pdftoppm -png -r 50 -f "${page:-1}" -l "${page:-1}" "$T/pack/p.pdf" "$T/pack/page" &&
		[ -s "$(ls "$T"/pack/page*.png | head -1)" ] && ok "pdf: pdftoppm draws the actions page" || not_ok "pdf: actions page not drawn"
else
	ok "# skip: pdftotext is not installed"
fi
check_exit 0 "another committee's pack" -- as max --json report pack --committee FAMILIES-OSC --period 2022-23-Q4
[ "$(printf '%s' "$OUT" | ids)" = "A-3" ] && ok "lists only its own action" || not_ok "FAMILIES-OSC pack gave $(printf '%s' "$OUT" | ids)"
check_exit 0 "the Cabinet pack" -- as max report pack --cabinet --period 2022-23-H2
check_fixed "Actions from previous meetings: 1 action, 1 overdue" "$OUT" "Cabinet's pack has its section"
check_fixed "Report on the locality working approach." "$OUT" "with Cabinet's action"
check_exit 0 "a pack for one directorate" -- as max --json report pack --committee CORP-RES-OSC --period 2022-23-Q4 --directorate HEHC
[ -z "$(printf '%s' "$OUT" | ids)" ] && ok "no actions of HEHC's left" || not_ok "gave $(printf '%s' "$OUT" | ids)"

# --- closed actions are reported back once: in the packs of periods that
# began on or before the day they were closed, not in later ones
check_exit 0 "RD closes A-1" -- as olga action update A-1 --status done --note "Sent."
check_exit 0 "this year's pack" -- as max --json report pack --committee CORP-RES-OSC --period 2022-23-Q4
[ "$(printf '%s' "$OUT" | ids)" = "A-1 A-2" ] && ok "lists the one closed today" || not_ok "gave $(printf '%s' "$OUT" | ids)"
check_exit 0 "a pack for a period beginning after today" -- as max --json report pack --committee CORP-RES-OSC --period 2040-41-Q1
[ "$(printf '%s' "$OUT" | ids)" = "A-2" ] && ok "the closed one drops out, the open one stays" || not_ok "gave $(printf '%s' "$OUT" | ids)"
check_exit 0 "a pack with no actions at all" -- as max report pack --committee CHW-OSC --period 2022-23-Q4
check_no_grep "Actions from previous meetings" "$OUT" "has no actions section"

# --- kept across a restart, and checked by 'pmifd check'
restart_server
check_exit 0 "after a restart" -- as max --json action list
[ "$(printf '%s' "$OUT" | ids)" = "A-1 A-2 A-3 A-4" ] && ok "every action is still there" || not_ok "after restart: $(printf '%s' "$OUT" | ids)"
check_exit 0 "pmifd check" -- "$PMIFD" check --data "$DATA"
check_grep "^actions +4 records" "$OUT" "check reads the actions"
# a backup made before the actions database existed (the schema-1 store) still checks and restores
mkdir -p "$T/old"
cp "$SRC/tests/data/store-schema1/data.mdb" "$T/old/data.mdb"
mkdir -p "$T/restored" && cp "$SRC/tests/data/store-schema1/server.key" "$T/restored/" && chmod 700 "$T/restored" && chmod 600 "$T/restored/server.key"
check_exit 0 "restore a backup from before committee actions" -- "$PMIFD" restore --from "$T/old" --data "$T/restored"
finish
