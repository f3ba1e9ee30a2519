#!/usr/bin/env bash
# test_browser.sh - pmif-web in a real browser: starts the real pmifd (a
# demo store, the quick start's users) and pmif-web on free loopback
# ports, then drives Debian's headless Chromium through browser.test.js
# (puppeteer-core, axe-core).  A second pmifd + pmif-web pair, whose
# pmifd lets a session idle only PMIF_WEB_SHORT_IDLE seconds, is there for
# the expired-session checks.  Screenshots go to PMIF_WEB_SHOTS
# (default BUILD/tests/web-shots).
#
# Nothing is skipped: without node, Chromium, the npm packages or the
# pmif-web binary the test fails and says what to install.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${PMIF_BIN_DIR:?set PMIF_BIN_DIR to the build directory}
CHROMIUM=${PMIF_CHROMIUM:-/usr/bin/chromium}
WEB=${PMIF_WEB_EXE:-$BIN/web/pmif-web}

missing() {
	echo "test_browser: $*" >&2
	exit 1
}
command -v node >/dev/null ||
	missing "node is not installed: install Debian's nodejs and npm (deploy/install-deps.sh does)."
[ -x "$CHROMIUM" ] ||
	missing "Chromium is not at $CHROMIUM: install Debian's chromium package (deploy/install-deps.sh does)."
for m in puppeteer-core axe-core; do
	[ -f "$HERE/node_modules/$m/package.json" ] ||
		missing "the npm package $m is not installed: run 'npm ci --prefix tests/web' (deploy/install-deps.sh does)."
done
[ -x "$WEB" ] || missing "pmif-web is not built at $WEB: build the tree first (cmake --build build)."

. "$HERE/../e2e/lib.sh"
ADMIN_PW='demo admin password'
INIT_ARGS='--demo'
SHORT_IDLE=${PMIF_WEB_SHORT_IDLE:-3}
SHOTS=${PMIF_WEB_SHOTS:-$BIN/tests/web-shots}
WEB_PIDS=()
SERVER2_PID=

stop_all() {
	for p in "${WEB_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ -n "$SERVER2_PID" ]; then
		kill -TERM "$SERVER2_PID" 2>/dev/null
		wait "$SERVER2_PID" 2>/dev/null
	fi
	cleanup
}
trap stop_all EXIT

# users SERVER_URL FP CONFIG_PREFIX: the quick start's users, made by the
# admin through the real pmif (deploy/quickstart.sh does the same)
users() {
	local url=$1 fp=$2 pre=$3
	local p=(env PMIF_SERVER="$url" XDG_CONFIG_HOME="$T/$pre-admin" "$PMIF_EXE" --server-key "$fp")
	printf '%s\n' "$ADMIN_PW" | "${p[@]}" login admin --password-stdin >/dev/null &&
		printf 'officer password 1\n' | "${p[@]}" admin user add olivia --role directorate --directorate CAF --password-stdin >/dev/null &&
		printf 'councillor password 1\n' | "${p[@]}" admin user add cllr.khan --role member --password-stdin >/dev/null ||
		{ echo "could not add the demo users"; exit 1; }
}

# start_web SERVER_URL FP: pmif-web on a free loopback port; sets WEB_URL
start_web() {
	local port
	port=$(free_port)
	"$WEB" --listen "127.0.0.1:$port" --server "$1" --server-key "$2" --quiet >>"$T/web.log" 2>&1 &
	WEB_PIDS+=($!)
	WEB_URL=http://127.0.0.1:$port
}

# the main pair: the demo store and its users
start_server
users "$PMIF_SERVER" "$FP" config
printf '%s\n' "$ADMIN_PW" | as admin login admin --password-stdin >/dev/null
printf 'officer password 1\n' | as olivia login olivia --password-stdin >/dev/null
printf 'councillor password 1\n' | as member login cllr.khan --password-stdin >/dev/null
start_web "$PMIF_SERVER" "$FP"
MAIN_WEB=$WEB_URL

# the short-idle pair: its own demo store and a pmifd whose sessions go
# stale after SHORT_IDLE seconds
DATA2=$T/data2
printf '%s\n' "$ADMIN_PW" | "$PMIFD" init --data "$DATA2" --admin admin --password-stdin --demo >"$T/init2.out" 2>&1 ||
	{ echo "pmifd init (second store) failed:"; cat "$T/init2.out"; exit 1; }
SERVER2=tcp://127.0.0.1:$(free_port)
FP2=$("$PMIFD" fingerprint --data "$DATA2")
# serve2 [options]: serve the second store and wait until it answers
serve2() {
	"$PMIFD" serve --data "$DATA2" --listen "$SERVER2" "$@" >>"$T/server2.log" 2>&1 &
	SERVER2_PID=$!
	for _ in $(seq 1 100); do
		PMIF_SERVER=$SERVER2 "$PMIF_EXE" --server-key "$FP2" --timeout 1 health >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "the second pmifd did not start:"; cat "$T/server2.log"; exit 1
}
# the users are made with the ordinary idle (adding one hashes a password,
# which can outlast a 3 s idle on a busy machine), then served with the
# short one
serve2
users "$SERVER2" "$FP2" config2
kill -TERM "$SERVER2_PID"
wait "$SERVER2_PID"
serve2 --session-idle "$SHORT_IDLE"
start_web "$SERVER2" "$FP2"
SHORT_WEB=$WEB_URL

rm -rf "$SHOTS"
mkdir -p "$SHOTS"
START=$(date +%s)
PMIF_WEB_URL=$MAIN_WEB PMIF_WEB_SHORT_URL=$SHORT_WEB PMIF_WEB_SHORT_IDLE=$SHORT_IDLE \
	PMIF_WEB_TMP=$T PMIF_WEB_SHOTS=$SHOTS PMIF_EXE=$PMIF_EXE PMIF_FP=$FP PMIF_CHROMIUM=$CHROMIUM \
	node "$HERE/browser.test.js" | tee "$T/browser.out"
NODE_RC=${PIPESTATUS[0]}
echo "# the browser run took $(($(date +%s) - START)) s; screenshots in $SHOTS"

# the node run's own count, then what only the shell can see
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$T/browser.out" | tail -1)
if [ -n "$line" ]; then
	PASSED=${line%% passed*}
	f=${line#*, }
	FAILED=${f%% failed}
else
	not_ok "the browser run printed no count (exit $NODE_RC)"
fi
[ "$NODE_RC" -eq 0 ] || [ "$FAILED" -gt 0 ] || not_ok "node exited $NODE_RC"

for p in "${WEB_PIDS[@]}"; do
	if kill -0 "$p" 2>/dev/null; then ok "pmif-web (pid $p) is still serving after every check"; else
		not_ok "pmif-web (pid $p) died:"; tail -5 "$T/web.log" | sed 's/^/#   /'; fi
done
# a graceful stop: exit 0, and nothing from ASan/UBSan (leaks are reported
# at exit) in its log
for p in "${WEB_PIDS[@]}"; do
	kill -TERM "$p" 2>/dev/null
	wait "$p"
	rc=$?
	if [ "$rc" -eq 0 ]; then ok "pmif-web (pid $p) stops on SIGTERM with exit 0"; else not_ok "pmif-web (pid $p) exited $rc on SIGTERM"; fi
done
WEB_PIDS=()
check_no_grep 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:' "$(cat "$T/web.log")" "no sanitizer report in pmif-web's log"
check_exit 0 "pmifd still answers" -- as admin health
check_grep '^audit chain intact' "$("$PMIFD" check --data "$DATA" 2>&1)" "the audit chain is intact after the run"
[ "$FAILED" -eq 0 ] || { echo "# pmif-web's log:"; tail -20 "$T/web.log" | sed 's/^/#   /'; }
finish
