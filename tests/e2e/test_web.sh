#!/usr/bin/env bash
# End-to-end: pmif-web, the browser front end, driven with curl against the
# real pmifd and the real pmif-web on loopback: its options, sign-in (good,
# bad, throttled, without its CSRF pair), every member page and download,
# the directorate's update (saved, refused with pmifd's sentence next to the
# field, keying warning confirmed), every role trying what it must not,
# CSRF, escaping of every text field, the body limit, unknown paths,
# garbage, sign-out ending the session, and expiry (pmifd's idle time and
# pmifd ending the session).  Each refusal is checked to have changed
# nothing, with pmif.
. "$(dirname "$0")/lib.sh"
INIT_ARGS="--demo"
WEB_EXE=$BIN/web/pmif-web
WEB_PID=
CSP="default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
P=2022-23-Q4

stop_web() {
	if [ -n "$WEB_PID" ]; then kill -TERM "$WEB_PID" 2>/dev/null; wait "$WEB_PID" 2>/dev/null; WEB_PID=; fi
}
trap 'stop_web; cleanup' EXIT

start_web() {
	WEB_PORT=$(free_port)
	W=http://127.0.0.1:$WEB_PORT
	"$WEB_EXE" --listen "127.0.0.1:$WEB_PORT" --server "$PMIF_SERVER" --server-key "$FP" "$@" >>"$T/web.log" 2>&1 &
	WEB_PID=$!
	for _ in $(seq 1 100); do
		curl -s -o /dev/null "$W/login" && return 0
		sleep 0.1
	done
	echo "pmif-web did not start:"; cat "$T/web.log"; exit 1
}

# http NAME [curl args...]: $CODE, $BODY, $HDR (headers), files $T/NAME.*
http() {
	local n=$1; shift
	CODE=$(curl -s -o "$T/$n.body" -D "$T/$n.hdr" -w '%{http_code}' "$@")
	BODY=$(cat "$T/$n.body"); HDR=$(tr -d '\r' <"$T/$n.hdr")
}
check_code() { if [ "$CODE" = "$1" ]; then ok "$2 (HTTP $CODE)"; else not_ok "$2: HTTP $CODE, wanted $1"; printf '%s\n' "$BODY" | grep -E 'error|alert' | head -3 | sed 's/^/#   /'; fi; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/$1.body" | head -1 | sed 's/.*value="//;s/"$//'; }

# signin JAR USER PASSWORD: fresh cookie jar, the sign-in form, then POST
signin() {
	rm -f "$T/$1.jar"
	http "$1-form" -c "$T/$1.jar" -b "$T/$1.jar" "$W/login"
	http "$1-signin" -c "$T/$1.jar" -b "$T/$1.jar" --data-urlencode "user=$2" --data-urlencode "password=$3" \
		--data-urlencode "csrf=$(csrf_of "$1-form")" "$W/login"
}
value_now() { as admin --json value get FSM-UPTAKE --period $P 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print([v["value"]["value"] for v in d["values"] if v["value"]["locality"]=="borough"][0])'; }

start_server
login_as admin "$ADMIN_PW"
printf 'officer password 1\n' | as admin admin user add olivia --role directorate --directorate CAF --password-stdin >/dev/null
printf 'councillor password 1\n' | as admin admin user add cllr.khan --role member --password-stdin >/dev/null

echo "# options"
check_exit 2 "no --server-key is a usage error" -- env -u PMIF_SERVER_KEY "$WEB_EXE" --listen 127.0.0.1:1
check_fixed "give pmifd's key with --server-key" "$ERR" "and it says what to give"
[ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] && ok "in one line" || not_ok "the usage error is $(printf '%s\n' "$ERR" | wc -l) lines"
check_exit 2 "a key that is not a fingerprint" -- "$WEB_EXE" --server-key nonsense
check_exit 2 "--tls-cert without --tls-key" -- "$WEB_EXE" --server-key "$FP" --tls-cert /etc/hostname
check_exit 2 "a --listen that is not HOST:PORT" -- "$WEB_EXE" --server-key "$FP" --listen localhost
check_fixed "is not an address to listen on" "$ERR" "and it says why"
check_exit 2 "an unknown option" -- "$WEB_EXE" --server-key "$FP" --frobnicate
check_exit 2 "a server URL pmifd does not speak" -- "$WEB_EXE" --server-key "$FP" --server http://x
check_exit 0 "--help" -- "$WEB_EXE" --help
check_fixed "--tls-cert FILE" "$OUT" "--help lists the options"

start_web
echo "# sign-in"
http login "$W/login" -c "$T/anon.jar"
check_code 200 "the sign-in page"
check_fixed '<form id="login" method="post" action="/login"' "$BODY" "it has the sign-in form"
check_fixed '<input name="user" id="user"' "$BODY" "a labelled user field"
check_fixed '<input type="password" name="password" id="password"' "$BODY" "a password field"
check_fixed "Content-Security-Policy: $CSP" "$HDR" "the Content-Security-Policy"
check_fixed "X-Content-Type-Options: nosniff" "$HDR" "nosniff"
check_fixed "X-Frame-Options: DENY" "$HDR" "no framing"
check_fixed "Referrer-Policy: no-referrer" "$HDR" "no referrer"
check_grep 'Set-Cookie: pmif_login=[0-9a-f]{64}; HttpOnly; SameSite=Strict' "$HDR" "the sign-in form's own CSRF cookie"

signin member cllr.khan 'wrong password'
check_code 401 "a wrong password"
check_grep '<p class="error" role="alert"[^>]*>[^<]*(password|user)' "$BODY" "pmifd's sentence on the sign-in page"
check_no_grep 'pmif_session=[0-9a-f]' "$HDR" "no session cookie"
check_fixed 'value="cllr.khan"' "$BODY" "the user name is kept"

http nocsrf -b "$T/member.jar" --data-urlencode user=cllr.khan --data-urlencode 'password=councillor password 1' "$W/login"
check_code 403 "a sign-in without its CSRF token"
check_fixed "This form has expired or did not come from PMIF; reload the page and try again." "$BODY" "with the sentence"
http nocookie --data-urlencode user=cllr.khan --data-urlencode 'password=councillor password 1' --data-urlencode "csrf=$(csrf_of member-form)" "$W/login"
check_code 403 "a sign-in token without its cookie (another browser's form)"

signin member cllr.khan 'councillor password 1'
check_code 303 "a good sign-in"
check_grep '^Location: /$' "$HDR" "goes home"
check_grep 'Set-Cookie: pmif_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/' "$HDR" "an HttpOnly, SameSite=Strict session cookie"
check_no_grep 'pmif_session=[^;]*; [^\n]*Secure' "$HDR" "not Secure without TLS"
check_no_grep 'token|rebind' "$HDR" "nothing of pmifd's session goes to the browser"

http anon "$W/scorecard"
check_code 303 "a page without a session"
check_grep '^Location: /login\?expired=1&next=%2Fscorecard$' "$HDR" "sends the browser to sign in, and back"
http expiredpage "$W/login?expired=1&next=/scorecard"
check_fixed '<p class="status" role="status">Your session has ended; please sign in again.</p>' "$BODY" "the sign-in page says why"
check_fixed 'name="next" value="/scorecard"' "$BODY" "and remembers where to go"
signin next cllr.khan 'councillor password 1' >/dev/null
http next2 -c "$T/nx.jar" -b "$T/nx.jar" "$W/login?next=/exceptions"
http next3 -c "$T/nx.jar" -b "$T/nx.jar" --data-urlencode user=cllr.khan --data-urlencode 'password=councillor password 1' \
	--data-urlencode "csrf=$(csrf_of next2)" --data-urlencode next=/exceptions "$W/login"
check_grep '^Location: /exceptions$' "$HDR" "after sign-in, the page asked for"
http next4 -c "$T/nx2.jar" -b "$T/nx2.jar" "$W/login"
http next5 -c "$T/nx2.jar" -b "$T/nx2.jar" --data-urlencode user=cllr.khan --data-urlencode 'password=councillor password 1' \
	--data-urlencode "csrf=$(csrf_of next4)" --data-urlencode 'next=//evil.example/' "$W/login"
check_grep '^Location: /$' "$HDR" "never another site's"
http nq1 "$W/scorecard?period=$P&committee=FAMILIES-OSC"
check_code 303 "a filtered page without a session"
check_grep "^Location: /login\\?expired=1&next=%2Fscorecard%3Fperiod%3D$P%26committee%3DFAMILIES-OSC\$" "$HDR" "next= keeps the query, URL-encoded"
LOC=$(printf '%s\n' "$HDR" | sed -n 's/^Location: //p')
http nq2 -c "$T/nq.jar" -b "$T/nq.jar" "$W$LOC"
check_fixed "name=\"next\" value=\"/scorecard?period=$P&amp;committee=FAMILIES-OSC\"" "$BODY" "the sign-in form remembers the filtered page"
http nq3 -c "$T/nq.jar" -b "$T/nq.jar" --data-urlencode user=cllr.khan --data-urlencode 'password=councillor password 1' \
	--data-urlencode "csrf=$(csrf_of nq2)" --data-urlencode "next=/scorecard?period=$P&committee=FAMILIES-OSC" "$W/login"
check_grep "^Location: /scorecard\\?period=$P&committee=FAMILIES-OSC\$" "$HDR" "after sign-in, the same filtered page"
http nq4 -b "$T/nq.jar" "$W$(printf '%s\n' "$HDR" | sed -n 's/^Location: //p')"
check_code 200 "which opens"
check_fixed 'FAMILIES-OSC' "$BODY" "still filtered"
http nq5 --get --data-urlencode 'x="><script>alert(1)</script>' --data-urlencode 'y=//evil.example/' "$W/scorecard"
check_grep '^Location: /login\?expired=1&next=%2Fscorecard%3Fx%3D%2522%253E%253Cscript%253Ealert%25281%2529%253C%252Fscript%253E%26y%3D%252F%252Fevil.example%252F$' "$HDR" "odd query values: encoded twice over, still our page"
http nq6 "$W$(printf '%s\n' "$HDR" | sed -n 's/^Location: //p')"
check_no_grep '<script>' "$BODY" "and escaped on the sign-in form"
check_grep 'name="next" value="/scorecard\?x=%22%3E%3Cscript' "$BODY" "which keeps them"
http nq7 --get --data-urlencode "long=$(head -c 3000 /dev/zero | tr '\0' a)" "$W/scorecard"
check_grep '^Location: /login\?expired=1&next=%2F$' "$HDR" "a query too long to carry: home after sign-in"

echo "# member pages"
M="-b $T/member.jar"
for page in "/" "/scorecard" "/scorecard?committee=FAMILIES-OSC&period=$P" "/scorecard?directorate=CAF" "/scorecard?objective=PO1" \
	"/exceptions" "/exceptions?committee=FAMILIES-OSC" "/completeness" "/completeness?directorate=CAF" \
	"/locality?measure=FSM-UPTAKE" "/measure/FSM-UPTAKE" "/measure/FSM-UPTAKE?period=$P" \
	"/pack?committee=FAMILIES-OSC" "/pack?committee=cabinet&period=$P" \
	"/risks" "/risks?period=$P&committee=FAMILIES-OSC" "/risks?directorate=CAF"; do
	http page $M "$W$page"
	check_code 200 "GET $page"
	shell=1
	for want in '<html lang="en">' '<a class="skip" href="#main">Skip to content</a>' '<nav aria-label="Main">' \
		'<main id="main">' '<form method="post" action="/logout"' '<button>Sign out</button>' \
		'<link rel="stylesheet" href="/static/pmif.css">' 'Signed in as <strong>cllr.khan</strong> (member)'; do
		printf '%s' "$BODY" | grep -qF -- "$want" || { shell=0; not_ok "$page lacks $want"; }
	done
	[ $shell = 1 ] && ok "$page has the page shell"
	check_no_grep '<script|style="| on[a-z]+=' "$BODY" "$page has no script, style attribute or handler"
	check_fixed "Content-Security-Policy: $CSP" "$HDR" "$page carries the CSP"
done
http home $M "$W/"
check_fixed "Latest period: <strong>$P</strong>" "$BODY" "home: the latest open period"
check_fixed 'href="/pack?committee=FAMILIES-OSC&amp;period=2022-23-Q4"' "$BODY" "home: the committees' packs"
check_grep '<strong>[0-9]+</strong> Red' "$BODY" "home: what needs attention, in words"
http sc $M "$W/scorecard?committee=FAMILIES-OSC"
check_fixed "FSM-UPTAKE" "$BODY" "the Families scorecard lists free school meal take-up"
check_grep 'rag-(red|amber|green|grey|nodata)"><span aria-hidden="true">[^<]*</span> (Red|Amber|Green|Grey|No data)' "$BODY" "RAG as a word beside its symbol"
check_fixed '<form method="get" class="filters"' "$BODY" "a filter form"
check_fixed '<label for="f-period">Period</label>' "$BODY" "with labelled fields"
check_fixed 'tabindex="0" role="region"' "$BODY" "the report scrolls in a focusable region"
check_fixed '<table class="measures">
<caption class="sr">Measures: value, RAG, direction of travel and variation</caption>' "$BODY" "its tables have captions"
http pack $M "$W/pack?committee=FAMILIES-OSC&period=$P"
check_grep 'Families' "$BODY" "the Families pack"
check_fixed '<svg' "$BODY" "with its SVG charts"
http cab $M "$W/pack?committee=cabinet"
check_grep 'Cabinet' "$BODY" "the Cabinet pack"
http ms $M "$W/measure/FSM-UPTAKE"
check_fixed "Free school meal" "$BODY" "measure detail: its title"
check_fixed '<svg' "$BODY" "measure detail: its SPC chart"
check_fixed 'Revisions for 2022-23-Q4' "$BODY" "measure detail: its history"
check_grep '<th scope="col">' "$BODY" "tables with th scope"
http loc $M "$W/locality?measure=FSM-UPTAKE&period=$P"
check_grep '[Bb]irtley' "$BODY" "the locality comparison"
http nomeasure $M "$W/locality"
check_code 200 "the locality page without a measure"
check_fixed '<a href="/locality?measure=FSM-UPTAKE">FSM-UPTAKE</a>' "$BODY" "lists the measures reported by locality"
http nocomm $M "$W/pack"
check_code 200 "the pack page without a committee"
check_fixed '<a href="/pack?committee=FAMILIES-OSC">' "$BODY" "lists the committees"
http badperiod $M "$W/scorecard?period=2022-23-Q9"
check_code 422 "a period that is not one"
check_grep '<p class="error" role="alert">[^<]*2022-23-Q9' "$BODY" "pmifd's sentence, with the filter form"
check_fixed 'value="2022-23-Q9"' "$BODY" "the filter keeps what was asked"
http nopack $M "$W/measure/NO-SUCH-MEASURE"
check_code 404 "a measure that does not exist"

echo "# downloads"
for f in "csv text/csv" "json application/json" "pdf application/pdf" "html text/html"; do
	set -- $f
	http dl$1 $M "$W/scorecard?committee=FAMILIES-OSC&format=$1"
	check_code 200 "the scorecard as $1"
	check_grep "^Content-Type: $2" "$HDR" "$1 has its content type"
	check_grep '^Content-Disposition: attachment; filename="scorecard-FAMILIES-OSC-2022-23-Q4\.'"$1"'"' "$HDR" "$1 is an attachment with a file name"
done
head -c 4 "$T/dlpdf.body" | grep -q '%PDF' && ok "the PDF is a PDF" || not_ok "the PDF does not start with %PDF"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["filter"]["period"]=="2022-23-Q4" else 1)' "$T/dljson.body" && ok "the JSON parses and is the period's" || not_ok "the JSON"
check_fixed "FSM-UPTAKE" "$(cat "$T/dlcsv.body")" "the CSV has the measures"
http dlpack $M "$W/pack?committee=FAMILIES-OSC&format=pdf"
check_grep '^Content-Type: application/pdf' "$HDR" "the Families pack as PDF"
for f in "csv text/csv" "json application/json" "pdf application/pdf"; do
	set -- $f
	http rk$1 $M "$W/risks?period=$P&format=$1"
	check_code 200 "the risks as $1"
	check_grep "^Content-Type: $2" "$HDR" "risks $1 has its content type"
	check_grep '^Content-Disposition: attachment; filename="risks-[A-Za-z0-9_-]*\.'"$1"'"' "$HDR" "risks $1 is an attachment"
done
head -c 4 "$T/rkpdf.body" | grep -q '%PDF' && ok "the risks PDF is a PDF" || not_ok "the risks PDF does not start with %PDF"
as admin --json report risks --period $P >"$T/rkcli.json" 2>/dev/null
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(0 if set(a)==set(b) and json.dumps(a).count("risk_id")==json.dumps(b).count("risk_id") else 1)' "$T/rkjson.body" "$T/rkcli.json" && ok "the risks JSON has pmif's fields and risks" || not_ok "the risks JSON differs from pmif's"
http rkpage $M "$W/risks?period=$P"
check_fixed '<a href="/risks" aria-current="page">Risks</a>' "$BODY" "Risks is in the nav, marked as this page"
check_fixed 'href="?period='"$P"'&amp;format=csv" download>CSV</a>' "$BODY" "with download links"
http home2 $M "$W/"
check_fixed '<li><a href="/risks">Risks</a></li>' "$BODY" "home links to the risks"
http rkbad $M --get --data-urlencode 'committee=<b>NOPE</b>' "$W/risks"
check_no_grep '<b>NOPE' "$BODY" "a bad committee on risks: escaped"
http badfmt $M "$W/scorecard?format=exe"
check_code 422 "a format that is not one"

echo "# the directorate's update"
signin officer olivia 'officer password 1'
check_code 303 "olivia signs in"
O="-b $T/officer.jar"
http upd $O "$W/update?period=$P"
check_code 200 "the update page"
check_fixed '<form method="post" action="/update/value" class="entry" id="value-FSM-UPTAKE">' "$BODY" "a form for FSM-UPTAKE, which CAF owns"
check_no_grep 'id="value-SICKNESS-DAYS"' "$BODY" "none for SICKNESS-DAYS, which it does not"
for fld in measure period locality value numerator denominator note csrf; do
	printf '%s' "$BODY" | grep -q "name=\"$fld\"" || not_ok "the value form lacks $fld"
done
ok "the value form has its fields"
check_fixed 'action="/update/commentary"' "$BODY" "a commentary form"
check_fixed 'action="/update/intervention"' "$BODY" "an intervention progress form"
check_fixed 'action="/update/risk"' "$BODY" "a risk reassessment form"
OC=$(csrf_of upd)

http save $O --data-urlencode "csrf=$OC" -d measure=FSM-UPTAKE -d period=$P -d value=85.3 -d numerator=9439 -d denominator=11066 "$W/update/value"
check_code 303 "a value is saved"
check_grep "^Location: /update\?period=$P&saved=FSM-UPTAKE#value-FSM-UPTAKE$" "$HDR" "back to its form"
[ "$(value_now)" = "85.3" ] && ok "pmif sees the value" || not_ok "pmif sees $(value_now), not 85.3"
http saved $O "$W/update?period=$P&saved=FSM-UPTAKE"
check_fixed '<p class="status" role="status">Saved FSM-UPTAKE for 2022-23-Q4.</p>' "$BODY" "the page says it was saved"
check_grep '<p class="now">Entered now: [^<]*borough 85.3 \(provisional\)' "$BODY" "and its form shows the value now entered"

A0=$(audit_count)
http red $O --data-urlencode "csrf=$OC" -d measure=FSM-UPTAKE -d period=$P -d value=50 "$W/update/value"
check_code 422 "a red value without a note is refused"
check_grep '<p class="field-error" role="alert" id="err-FSM-UPTAKE">note: 50 is red' "$BODY" "pmifd's sentence next to the field"
check_grep 'name="note" aria-invalid="true" aria-describedby="err-FSM-UPTAKE"' "$BODY" "the note is marked invalid and linked to it"
check_fixed 'name="value" inputmode="decimal" required value="50"' "$BODY" "the input is kept"
[ "$(value_now)" = "85.3" ] && ok "nothing was saved" || not_ok "the value is now $(value_now)"
http nan $O --data-urlencode "csrf=$OC" -d measure=FSM-UPTAKE -d period=$P -d value=lots "$W/update/value"
check_code 422 "a value that is not a number"
check_grep 'id="err-FSM-UPTAKE">value: ' "$BODY" "says so next to the value"
http big $O --data-urlencode "csrf=$OC" -d measure=FSM-UPTAKE -d period=$P -d value=120 "$W/update/value"
check_code 422 "a percentage over 100"
http frac $O --data-urlencode "csrf=$OC" -d measure=FSM-UPTAKE -d period=$P -d value=85 -d numerator=10 "$W/update/value"
check_code 422 "a numerator without its denominator"
http badp $O --data-urlencode "csrf=$OC" -d measure=FSM-UPTAKE -d period=2022-23-Q9 -d value=85 "$W/update/value"
check_code 422 "a period that is not one"
[ "$(audit_count)" = "$A0" ] && [ "$(value_now)" = "85.3" ] && ok "none of them changed anything" || not_ok "a refusal changed something"

http keying $O --data-urlencode "csrf=$OC" -d measure=FSM-UPTAKE -d period=$P -d value=8.53 --data-urlencode 'note=checked' "$W/update/value"
check_code 409 "a keying-error value is held for confirmation"
check_grep 'class="warning" role="alert"' "$BODY" "the warning is an alert"
check_fixed "far outside this measure" "$BODY" "in pmifd's words"
check_fixed '<button name="confirm" value="1">Confirm and save</button>' "$BODY" "with a button to confirm"
check_fixed 'value="8.53"' "$BODY" "the values are kept for it"
[ "$(value_now)" = "85.3" ] && ok "nothing saved before confirming" || not_ok "saved before confirming: $(value_now)"
http confirm $O --data-urlencode "csrf=$OC" -d measure=FSM-UPTAKE -d period=$P -d value=8.53 --data-urlencode 'note=checked' -d confirm=1 "$W/update/value"
check_code 303 "confirmed, it is saved"
[ "$(value_now)" = "8.53" ] && ok "pmif sees the confirmed value" || not_ok "pmif sees $(value_now)"

http other $O --data-urlencode "csrf=$OC" -d measure=SICKNESS-DAYS -d period=$P -d value=2.9 "$W/update/value"
check_code 403 "another directorate's measure"
check_fixed "may change only what CAF owns" "$BODY" "pmifd's sentence"
http comm $O --data-urlencode "csrf=$OC" -d objective=PO1 -d period=$P --data-urlencode 'text=Take-up recovered after auto-enrolment.' "$W/update/commentary"
check_code 303 "commentary is saved"
check_fixed "Take-up recovered after auto-enrolment." "$(as admin commentary get PO1 $P 2>&1; as admin --json report pack --committee FAMILIES-OSC --period $P 2>/dev/null)" "pmif sees it"
IV=$(grep -o 'id="intervention-[A-Z0-9-]*"' "$T/upd.body" | head -1 | sed 's/id="intervention-//;s/"//')
http iv $O --data-urlencode "csrf=$OC" -d intervention=$IV -d period=$P -d status=at-risk --data-urlencode 'text=Recruitment is behind.' "$W/update/intervention"
check_code 303 "intervention progress is saved"
http ivbad $O --data-urlencode "csrf=$OC" -d intervention=$IV -d period=$P -d status=sideways -d text=x "$W/update/intervention"
check_code 422 "a status that is not one"
check_grep "id=\"err-intervention-$IV\">status: " "$BODY" "pmifd's sentence next to the status"
RK=$(grep -o 'id="risk-[A-Z0-9-]*"' "$T/upd.body" | head -1 | sed 's/id="risk-//;s/"//')
if [ -n "$RK" ]; then
	http rk $O --data-urlencode "csrf=$OC" -d risk=$RK -d period=$P -d likelihood=4 -d impact=3 --data-urlencode 'mitigation=Weekly review.' "$W/update/risk"
	check_code 303 "a risk is reassessed"
	http rkbad $O --data-urlencode "csrf=$OC" -d risk=$RK -d period=$P -d likelihood=9 -d impact=3 "$W/update/risk"
	check_code 422 "a likelihood past 5"
else
	not_ok "no risk form for CAF"
fi

echo "# what each role must not do"
http upd-m $M "$W/"
MC=$(csrf_of upd-m)
A0=$(audit_count)
http mset $M --data-urlencode "csrf=$MC" -d measure=FSM-UPTAKE -d period=$P -d value=90 "$W/update/value"
check_code 403 "a member may not enter a value"
check_grep "<p class=\"error\" role=\"alert\">[^<]*member role[^<]*may not" "$BODY" "in pmifd's words"
for what in "commentary -d objective=PO1 -d text=x" "intervention -d intervention=$IV -d status=at-risk -d text=x" "risk -d risk=${RK:-R-01} -d likelihood=2 -d impact=2"; do
	set -- $what
	form=$1; shift
	http mpost $M --data-urlencode "csrf=$MC" -d period=$P "$@" "$W/update/$form"
	check_code 403 "a member may not post /update/$form"
done
[ "$(value_now)" = "8.53" ] && [ "$(audit_count)" = "$A0" ] && ok "nothing the member tried was saved" || not_ok "a member's write changed something"
http madmin $M "$W/admin/users"
check_code 403 "a member may not see the users"
http madmin2 $M "$W/admin/audit"
check_code 403 "nor the audit trail"
check_grep 'role="alert"' "$BODY" "with pmifd's sentence"
http oadmin $O "$W/admin/users"
check_code 403 "nor may a directorate officer"

echo "# CSRF"
http nocsrf2 $O -d measure=FSM-UPTAKE -d period=$P -d value=85 "$W/update/value"
check_code 403 "a POST without its CSRF token"
check_fixed "This form has expired or did not come from PMIF; reload the page and try again." "$BODY" "with the sentence"
http wrongcsrf $O --data-urlencode "csrf=$MC" -d measure=FSM-UPTAKE -d period=$P -d value=85 "$W/update/value"
check_code 403 "another session's CSRF token"
http junkcsrf $O -d csrf=00 -d measure=FSM-UPTAKE -d period=$P -d value=85 "$W/update/value"
check_code 403 "a junk CSRF token"
http nosession -d "csrf=$OC" -d measure=FSM-UPTAKE -d period=$P -d value=85 "$W/update/value"
check_code 403 "a form without a session"
http logoutcsrf $O "$W/logout" -X POST
check_code 403 "sign-out without its token"
[ "$(value_now)" = "8.53" ] && ok "no refused form saved anything" || not_ok "a refused form changed the value"

echo "# escaping"
X='<script>alert(1)</script>"'"'"'<img src=x onerror=alert(2)>'
http xnote $O --data-urlencode "csrf=$OC" -d measure=FSM-UPTAKE -d period=$P -d value=50 --data-urlencode "note=$X" --data-urlencode "locality=$X" "$W/update/value"
check_no_grep '<script>|<img src' "$BODY" "note and locality: nothing comes back as markup"
check_fixed '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&lt;img src=x onerror=alert(2)&gt;' "$BODY" "the note comes back escaped"
http xval $O --data-urlencode "csrf=$OC" -d measure=FSM-UPTAKE -d period=$P --data-urlencode "value=$X" --data-urlencode "numerator=$X" --data-urlencode "denominator=$X" "$W/update/value"
check_no_grep '<script>|<img src' "$BODY" "value, numerator, denominator: escaped"
check_fixed 'value="&lt;script&gt;' "$BODY" "the value field keeps it escaped"
http xmeasure $O --data-urlencode "csrf=$OC" --data-urlencode "measure=$X" --data-urlencode "period=$X" -d value=1 "$W/update/value"
check_no_grep '<script>|<img src' "$BODY" "measure and period: escaped"
http xcomm $O --data-urlencode "csrf=$OC" -d objective=PO1 -d period=$P --data-urlencode "text=Commentary $X" "$W/update/commentary"
check_code 303 "commentary with markup in it is saved as text"
http xcommshow $O "$W/update?period=$P"
check_no_grep '<script>|<img src' "$BODY" "and shown escaped on the update page"
check_fixed 'Commentary &lt;script&gt;' "$BODY" "as text"
http xpack $M "$W/pack?committee=FAMILIES-OSC&period=$P"
check_no_grep '<script>|<img src' "$BODY" "and in the Families pack"
http xiv $O --data-urlencode "csrf=$OC" -d intervention=$IV -d period=$P -d status=on-track --data-urlencode "text=Progress $X" "$W/update/intervention"
check_code 303 "intervention text with markup in it"
http xiv2 $O --data-urlencode "csrf=$OC" -d intervention=$IV -d period=$P --data-urlencode "status=$X" --data-urlencode "text=$X" "$W/update/intervention"
check_no_grep '<script>|<img src' "$BODY" "intervention status and text refused: escaped"
http xivpack $M "$W/pack?committee=FAMILIES-OSC&period=$P"
check_no_grep '<script>|<img src' "$BODY" "intervention progress shown escaped in the pack"
if [ -n "$RK" ]; then
	http xrk $O --data-urlencode "csrf=$OC" -d risk=$RK -d period=$P -d likelihood=2 -d impact=2 --data-urlencode "mitigation=Plan $X" "$W/update/risk"
	check_code 303 "a risk mitigation with markup in it"
	http xrk2 $O --data-urlencode "csrf=$OC" --data-urlencode "risk=$X" -d period=$P --data-urlencode "likelihood=$X" --data-urlencode "impact=$X" --data-urlencode "mitigation=$X" "$W/update/risk"
	check_no_grep '<script>|<img src' "$BODY" "risk fields refused: escaped"
	http xrkshow $M "$W/pack?committee=cabinet&period=$P"
	check_no_grep '<script>|<img src' "$BODY" "the risk shown escaped in the Cabinet pack"
fi
http xsignin -b "$T/anon.jar" -c "$T/anon.jar" --data-urlencode "user=$X" --data-urlencode "password=$X" --data-urlencode "csrf=$(csrf_of login)" "$W/login"
check_code 401 "a user name with markup in it"
check_no_grep '<script>|<img src' "$BODY" "comes back escaped on the sign-in page"
check_fixed 'value="&lt;script&gt;' "$BODY" "in the user field"
http xfilter $M --get --data-urlencode "committee=$X" --data-urlencode "period=$X" --data-urlencode "objective=$X" --data-urlencode "directorate=$X" "$W/scorecard"
check_no_grep '<script>|<img src' "$BODY" "scorecard filters: escaped (HTTP $CODE)"
http xfilter2 $M --get --data-urlencode "measure=$X" "$W/locality"
check_no_grep '<script>|<img src' "$BODY" "locality filter: escaped"
http xsaved $O --get --data-urlencode "saved=$X" --data-urlencode "period=$X" "$W/update"
check_no_grep '<script>|<img src' "$BODY" "the update page's saved and period: escaped"
http xmeas $M "$W/measure/%3Cscript%3Ealert(1)%3C%2Fscript%3E"
check_no_grep '<script>' "$BODY" "a measure code in the path: escaped"
http xnext --get --data-urlencode "next=\"><script>alert(1)</script>" "$W/login"
check_no_grep '<script>' "$BODY" "the sign-in page's next: escaped"

echo "# limits, unknown paths, garbage"
head -c 70000 /dev/zero | tr '\0' a >"$T/big.txt"
http big413 $O --data-urlencode "csrf=$OC" --data-urlencode "note@$T/big.txt" -d measure=FSM-UPTAKE "$W/update/value"
check_code 413 "a body over 64 KiB"
http big413b $O -H 'Transfer-Encoding: chunked' --data-binary "@$T/big.txt" "$W/update/value"
check_code 413 "a chunked body over 64 KiB"
http nf $M "$W/no/such/page"
check_code 404 "an unknown path"
check_fixed '<html lang="en">' "$BODY" "is a page"
http nf2 "$W/static/other.css"
check_code 404 "a static file that is not the stylesheet"
http css "$W/static/pmif.css"
check_code 200 "the stylesheet"
check_grep '^Content-Type: text/css' "$HDR" "as CSS"
check_fixed ':focus' "$BODY" "with a visible focus style"
check_fixed '@media (max-width:600px)' "$BODY" "and a narrow layout"
http put $M -X PUT -d x=1 "$W/scorecard"
check_code 405 "a method a page does not take"
python3 - "$WEB_PORT" <<'PY'
import socket, sys
port = int(sys.argv[1])
junk = [b"\x00\xff\xfe garbage\r\n\r\n", b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nCookie: " + b"pmif_session=" * 5000 + b"\r\n\r\n",
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", b"GET /%00%ff HTTP/1.1\r\n\r\n",
        b"POST /update/value HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zz\r\nContent-Length: 20\r\n\r\n--zz\r\n--zz--garbage"]
for j in junk:
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    try:
        s.sendall(j)
        s.recv(4096)
    except OSError:
        pass
    s.close()
# and one that opens and never speaks
s = socket.create_connection(("127.0.0.1", port)); s.close()
PY
http alive "$W/login"
check_code 200 "pmif-web still answers after garbage"
kill -0 "$WEB_PID" 2>/dev/null && ok "and is still running" || not_ok "pmif-web died"

echo "# admin views"
signin admin admin "$ADMIN_PW"
http users -b "$T/admin.jar" "$W/admin/users"
check_code 200 "the admin sees the users"
check_grep '<th scope="row">olivia</th><td>directorate</td><td>CAF</td>' "$BODY" "olivia, her role and directorate"
http audit -b "$T/admin.jar" "$W/admin/audit?limit=5"
check_code 200 "and the audit trail"
[ "$(grep -c '<tr><th scope="row">' "$T/audit.body")" -le 5 ] && ok "at most the 5 asked for" || not_ok "more than 5 entries"
http audit2 -b "$T/admin.jar" "$W/admin/audit?limit=lots"
check_code 422 "a limit that is not a number"
NEWEST=$(audit_count)
FIRSTROW=$(grep -o '<tr><th scope="row">[0-9]*' "$T/audit.body" | head -1 | grep -o '[0-9]*$')
[ -n "$FIRSTROW" ] && [ "$FIRSTROW" -le "$NEWEST" ] && [ "$FIRSTROW" -ge $((NEWEST - 2)) ] && ok "newest first ($FIRSTROW of $NEWEST)" || not_ok "first row $FIRSTROW, newest is $NEWEST"
ROWS=$(grep -o '<tr><th scope="row">[0-9]*' "$T/audit.body" | grep -o '[0-9]*$' | tr '\n' ' ')
printf '%s\n' $ROWS | sort -rn -c 2>/dev/null && ok "in falling order ($ROWS)" || not_ok "not newest first: $ROWS"
LAST=$(printf '%s\n' $ROWS | tail -1)
check_fixed "<a href=\"/admin/audit?limit=5&amp;before=$LAST\" rel=\"next\">Older entries</a>" "$(cat "$T/audit.body")" "an Older entries link from the last row"
http audit3 -b "$T/admin.jar" "$W/admin/audit?limit=5&before=$LAST"
check_code 200 "the older page"
ROWS3=$(grep -o '<tr><th scope="row">[0-9]*' "$T/audit3.body" | grep -o '[0-9]*$' | tr '\n' ' ')
[ "$(printf '%s\n' $ROWS3 | head -1)" = "$((LAST - 1))" ] && [ "$(printf '%s\n' $ROWS3 | wc -l)" = 5 ] && ok "goes on from the entry before ($ROWS3)" || not_ok "older page: $ROWS3 after $LAST"
check_fixed '<a href="/admin/audit?limit=5">Newest entries</a>' "$BODY" "and links back to the newest"
http audit4 -b "$T/admin.jar" "$W/admin/audit?limit=5&before=3"
ROWS4=$(grep -o '<tr><th scope="row">[0-9]*' "$T/audit4.body" | grep -o '[0-9]*$' | tr '\n' ' ')
[ "$ROWS4" = "2 1 " ] && ok "the oldest page ends at entry 1" || not_ok "before=3: $ROWS4"
check_fixed 'No older entries.' "$BODY" "and says there are no older"
check_no_grep 'rel="next"' "$BODY" "with no Older link"
http audit5 -b "$T/admin.jar" "$W/admin/audit"
[ "$(grep -c '<tr><th scope="row">' "$T/audit5.body")" -le 100 ] && ok "by default at most 100 rows" || not_ok "more than 100 rows by default"
http audit6 -b "$T/admin.jar" "$W/admin/audit?limit=1001"
check_code 422 "a limit over 1000"
for bad in "before=abc" "before=-1" "before=0" "before=+5" "before=5x"; do
	http audit7 -b "$T/admin.jar" "$W/admin/audit?$bad"
	check_code 422 "before that is not an entry number ($bad)"
done
check_fixed "follow the Older entries link" "$BODY" "saying what to do"
http audit8 -b "$T/admin.jar" "$W/admin/audit?limit=5&before=999999999"
[ "$(grep -o '<tr><th scope="row">[0-9]*' "$T/audit8.body" | head -1 | grep -o '[0-9]*$')" -ge "$NEWEST" ] && ok "before past the end: the newest" || not_ok "before past the end"
signin aud cllr.khan 'councillor password 1' >/dev/null
http audit9 -b "$T/aud.jar" "$W/admin/audit?limit=5&before=3"
check_code 403 "a member paging back is still refused"

echo "# sign-in throttle"
for i in $(seq 1 10); do signin thr mallory "guess $i" >/dev/null; done
check_grep '^(401|429)$' "$CODE" "ten wrong passwords for one name are refused"
signin thr mallory "guess 11"
check_code 429 "the eleventh is held off by pmif-web"
check_fixed "Too many failed sign-ins for this user or from this address; wait" "$BODY" "saying how long to wait"
signin thr2 cllr.khan 'councillor password 1'
check_code 303 "another user from the same address still signs in"

echo "# sign-out"
http logout $O --data-urlencode "csrf=$OC" "$W/logout" -c "$T/officer.jar"
check_code 303 "sign-out"
check_grep '^Location: /login\?signed_out=1$' "$HDR" "to the sign-in page"
check_grep 'Set-Cookie: pmif_session=; Max-Age=0' "$HDR" "the cookie is cleared"
http so "$W/login?signed_out=1"
check_fixed '<p class="status" role="status">You have signed out.</p>' "$BODY" "which says so"
OLD=$(grep -o 'pmif_session=[0-9a-f]*' "$T/officer-signin.hdr" | head -1)
http old -H "Cookie: $OLD" "$W/scorecard"
check_code 303 "the old cookie is refused"
check_grep '^Location: /login\?expired=1' "$HDR" "and sent to sign in"
check_grep 'Logout +user/olivia +logged out' "$(as admin admin audit --user olivia 2>&1 | tail -1)" "pmifd ended its session (the audit trail says so)"

echo "# TLS"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/tls.key" -out "$T/tls.crt" -days 2 -subj /CN=127.0.0.1 >/dev/null 2>&1
TLS_PORT=$(free_port)
"$WEB_EXE" --listen "127.0.0.1:$TLS_PORT" --server "$PMIF_SERVER" --server-key "$FP" --tls-cert "$T/tls.crt" --tls-key "$T/tls.key" >>"$T/web-tls.log" 2>&1 &
TLS_PID=$!
for _ in $(seq 1 100); do curl -sk -o /dev/null "https://127.0.0.1:$TLS_PORT/login" && break; sleep 0.1; done
PLAIN_W=$W
W=https://127.0.0.1:$TLS_PORT
http tls -k "$W/login"
check_code 200 "pmif-web serves HTTPS with --tls-cert and --tls-key"
check_grep 'Set-Cookie: pmif_login=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/login; Secure' "$HDR" "its cookies are Secure"
check_fixed 'Strict-Transport-Security: max-age=' "$HDR" "with HSTS"
rm -f "$T/tls.jar"
http tlsform -k -c "$T/tls.jar" -b "$T/tls.jar" "$W/login"
http tlssignin -k -c "$T/tls.jar" -b "$T/tls.jar" --data-urlencode user=cllr.khan --data-urlencode 'password=councillor password 1' \
	--data-urlencode "csrf=$(csrf_of tlsform)" "$W/login"
check_code 303 "sign-in over HTTPS"
check_grep 'Set-Cookie: pmif_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/; Secure' "$HDR" "the session cookie is Secure"
http tlspage -k -b "$T/tls.jar" "$W/pack?committee=FAMILIES-OSC"
check_code 200 "a pack over HTTPS"
kill -TERM "$TLS_PID"; wait "$TLS_PID" 2>/dev/null
W=$PLAIN_W
check_exit 1 "an unreadable --tls-cert" -- "$WEB_EXE" --server-key "$FP" --listen 127.0.0.1:1 --tls-cert "$T/none.crt" --tls-key "$T/none.key"
check_fixed "cannot read '$T/none.crt'" "$ERR" "names the file"

echo "# pmifd down"
signin down cllr.khan 'councillor password 1'
check_code 303 "signed in while pmifd is up"
stop_server
signin down2 cllr.khan 'councillor password 1'
check_code 503 "signing in while pmifd is down"
check_fixed '<p class="error" role="alert" id="signin-error">The PMIF server is not answering just now; try again in a minute.</p>' "$BODY" "says so in a sentence"
http down3 -b "$T/down.jar" "$W/exceptions"
check_code 503 "a page while pmifd is down"
check_fixed "The PMIF server is not answering just now; try again in a minute, and tell the performance team if it goes on." "$BODY" "says so"
check_no_grep 'tcp://|nanomsg|PMIF_SERVER|--server' "$BODY" "without the connection's internals"
http down4 "$W/login"
check_code 200 "pmif-web itself still answers"

echo "# expiry"
signin dis olivia 'officer password 1' >/dev/null
as admin admin user disable olivia >/dev/null
http dis1 -b "$T/dis.jar" "$W/scorecard"
check_code 303 "a user disabled in pmifd: the next page"
check_grep '^Location: /login\?expired=1&next=%2Fscorecard$' "$HDR" "sends the browser to sign in (pmifd's answer is honoured)"
as admin admin user enable olivia >/dev/null
stop_web
restart_server --session-idle 5
start_web
signin idle cllr.khan 'councillor password 1'
check_code 303 "signed in with pmifd's idle time at 5 s"
http idle1 -b "$T/idle.jar" "$W/scorecard"
check_code 200 "a page at once"
sleep 7
http idle2 -b "$T/idle.jar" "$W/scorecard"
check_code 303 "after 7 s idle the session has ended"
check_grep '^Location: /login\?expired=1&next=%2Fscorecard$' "$HDR" "and the browser is sent to sign in"
http idle3 -b "$T/idle.jar" "$W/exceptions?committee=FAMILIES-OSC"
check_grep '^Location: /login\?expired=1&next=%2Fexceptions%3Fcommittee%3DFAMILIES-OSC$' "$HDR" "an expired session keeps the query too"

echo "# $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
