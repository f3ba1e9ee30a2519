#!/usr/bin/env bash
# quickstart.sh - from a fresh Debian 12 machine to a running demo: install
# dependencies, build, create a demo store in ./demo-data, start pmifd on
# tcp://127.0.0.1:7450 (or a free port) and pmif-web, the browser front
# end, on http://127.0.0.1:8450/ (or a free port), and walk through what
# each role does.  Run it again to start over; stop both with
#   kill "$(cat demo-data/pmifd.pid)" "$(cat demo-data/pmif-web.pid)"
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEMO=$ROOT/demo-data

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

bash deploy/install-deps.sh
say "Building"
cmake -S . -B build >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
PMIFD=$ROOT/build/server/pmifd
PMIF=$ROOT/build/client/pmif
PMIF_WEB=$ROOT/build/web/pmif-web

for pidfile in "$DEMO/pmif-web.pid" "$DEMO/pmifd.pid"; do
	if [ -f "$pidfile" ]; then
		kill "$(cat "$pidfile")" 2>/dev/null || true
		sleep 0.5
	fi
done
rm -rf "$DEMO"
mkdir -p "$DEMO"

PORT=7450
if ! python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',$PORT))" 2>/dev/null; then
	PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
fi
export PMIF_SERVER=tcp://127.0.0.1:$PORT
export XDG_CONFIG_HOME=$DEMO/client   # the demo's own sessions and pinned keys

say "Creating the store with the council's framework and illustrative demo data"
echo "demo admin password" | run "$PMIFD" init --data "$DEMO/store" --admin admin --password-stdin --demo
"$PMIFD" serve --data "$DEMO/store" --listen "$PMIF_SERVER" >"$DEMO/pmifd.log" 2>&1 &
echo $! >"$DEMO/pmifd.pid"
FP=$("$PMIFD" fingerprint --data "$DEMO/store")
for _ in $(seq 1 50); do "$PMIF" --server-key "$FP" --timeout 1 health >/dev/null 2>&1 && break; sleep 0.1; done
say "pmifd is serving on $PMIF_SERVER (log: demo-data/pmifd.log); its key is $FP"

as() { local who=$1; shift; XDG_CONFIG_HOME=$DEMO/client-$who "$PMIF" --server-key "$FP" "$@"; }

say "The admin logs in and adds a directorate officer and a councillor"
echo "demo admin password" | as admin login admin --password-stdin
echo "officer password 1" | as admin admin user add olivia --role directorate --directorate CAF --password-stdin
echo "councillor password 1" | as admin admin user add cllr.khan --role member --password-stdin
as admin admin user list

say "The directorate officer (Children, Adults & Families) logs in and submits this quarter's figure"
echo "officer password 1" | as olivia login olivia --password-stdin
run as olivia value set FSM-UPTAKE 2022-23-Q4 84.9 --numerator 9395 --denominator 11066
say "The borough's figure is stored, with a warning: its numerator is no longer the sum of the localities'. She enters Birtley's new figure, and the sum agrees again"
run as olivia value set FSM-UPTAKE 2022-23-Q4 86.4 --locality birtley --numerator 1914 --denominator 2215
run as olivia commentary set PO1 2022-23-Q4 --text "Free school meal take-up recovered to 84.9% after auto-enrolment went live in January."
say "...but not another directorate's measure (exit 5)"
set +e
as olivia value set SICKNESS-DAYS 2022-23-Q4 2.9
echo "(exit code $?)"
set -e

say "The councillor logs in; members are read-only, so a write is refused (exit 5)"
echo "councillor password 1" | as cllr.khan login cllr.khan --password-stdin
set +e
as cllr.khan value set FSM-UPTAKE 2022-23-Q4 90
echo "(exit code $?)"
set -e
say "The councillor reads the Families OSC scorecard for the quarter"
run as cllr.khan report scorecard --period 2022-23-Q4 --committee FAMILIES-OSC
say "...the actions the Corporate Resources OSC asked for, overdue ones marked"
run as cllr.khan action list --committee CORP-RES-OSC
say "...and the committee pack, as HTML and PDF"
run as cllr.khan report pack --committee FAMILIES-OSC --period 2022-23-Q4 --format html -o "$DEMO/families-pack.html"
run as cllr.khan report pack --committee FAMILIES-OSC --period 2022-23-Q4 --format pdf -o "$DEMO/families-pack.pdf"

say "The committee pack is in $DEMO/families-pack.html and $DEMO/families-pack.pdf"

WEB_PORT=8450
if ! python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',$WEB_PORT))" 2>/dev/null; then
	WEB_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
fi
"$PMIF_WEB" --listen "127.0.0.1:$WEB_PORT" --server "$PMIF_SERVER" --server-key "$FP" >"$DEMO/pmif-web.log" 2>&1 &
echo $! >"$DEMO/pmif-web.pid"
for _ in $(seq 1 50); do
	python3 -c "import socket;socket.create_connection(('127.0.0.1',$WEB_PORT),0.2)" 2>/dev/null && break
	sleep 0.1
done
say "In the browser: open http://127.0.0.1:$WEB_PORT/ (log: demo-data/pmif-web.log)"
cat <<MSG
  sign in as         password
  admin              demo admin password      (the performance team)
  olivia             officer password 1       (Children, Adults & Families: Quarterly update)
  cllr.khan          councillor password 1    (a councillor: scorecards and packs, read-only)
MSG
say "Try it yourself"
cat <<MSG
  export PMIF_SERVER=$PMIF_SERVER PMIF_SERVER_KEY=$FP
  echo "demo admin password" | $PMIF login admin --password-stdin
  $PMIF whoami
  $PMIF help
Stop the demo with: kill \$(cat demo-data/pmifd.pid) \$(cat demo-data/pmif-web.pid)
MSG
