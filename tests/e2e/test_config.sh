#!/usr/bin/env bash
# End-to-end: 'pmifd serve --config FILE' (every serve option by the same
# name, the command line over it), every kind of bad file refused with its
# sentence and exit 2, SIGHUP applying what may change without a restart
# (a shorter session-idle expires a session sooner; quiet), a bad file on
# SIGHUP keeping the server up and its settings, and a graceful SIGTERM: a
# large import in flight still gets its reply and is there after a restart.
. "$(dirname "$0")/lib.sh"

CONF=$T/pmifd.conf
# refused: the sentence names the file, the line and the key; exit 2; no server
refused() { # refused DESCRIPTION PATTERN FILE-CONTENT
	printf '%b' "$3" >"$T/bad.conf"
	check_exit 2 "$1: refused" -- "$PMIFD" serve --config "$T/bad.conf"
	check_grep "$2" "$ERR" "$1: says why"
	[ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] && ok "$1: in one line" || not_ok "$1: $ERR"
}
refused "an unknown key" "^pmifd: $T/bad.conf line 2: unknown key 'wrokers'" "data = $DATA\nwrokers = 2\n"
refused "a bad number" "bad.conf line 3: 'lots' is not a valid number for workers \\(1 to 256\\)" \
	"# comment\ndata = $DATA\nworkers = lots\n"
refused "a number out of range" "line 1: '0' is not a valid number for session-idle" \
	"session-idle = 0\ndata = $DATA\n"
refused "a bad flag" "line 2: 'maybe' is not true or false, for quiet" "data = $DATA\nquiet = maybe\n"
refused "a line without =" "line 2: expected 'key = value'" "data = $DATA\nlisten\n"
refused "a key given twice" "line 3: workers is set twice \\(first on line 2\\)" \
	"data = $DATA\nworkers = 2\nworkers = 3\n"
refused "an empty value" "line 1: data needs a value" "data =\n"
refused "a section" "sections are not used \\('\\[serve\\]'\\)" "[serve]\ndata = $DATA\n"
refused "a command-line-only key" "line 1: unknown key 'config'" "config = /etc/pmif/pmifd.conf\n"
check_exit 2 "a missing file: refused" -- "$PMIFD" serve --config "$T/none.conf"
check_grep "^pmifd: cannot read the config file '$T/none.conf': No such file or directory$" "$ERR" \
	"a missing file: says so"
check_exit 2 "a directory: refused" -- "$PMIFD" serve --config "$T"
check_grep "cannot read the config file '$T': Is a directory" "$ERR" "a directory: says so"
check_exit 2 "no data dir in the file or the command line" -- "$PMIFD" serve --config /dev/null
check_grep "serve needs --data DIR" "$ERR" "no data dir: says so"
check_exit 0 "serve --help" -- "$PMIFD" serve --help
check_grep "--config PATH" "$OUT" "the help shows --config"
check_grep "--stop-timeout S" "$OUT" "the help shows --stop-timeout"

# a framework with room for a large import (the SIGTERM part below)
framework_with_measures 400 "BIG-%03d" "Bulk measure %d" "$T/framework.json"
printf '%s\n' "$ADMIN_PW" | "$PMIFD" init --data "$DATA" --admin admin --password-stdin \
	--framework "$T/framework.json" >/dev/null 2>&1 || { echo "init failed"; exit 1; }

# the shipped deploy/pmifd.conf names every option, and serves as it is
# (with the test's store and port over its own)
SHIPPED=$SRC/deploy/pmifd.conf
missing=
for key in $("$PMIFD" serve --help | sed -n 's/^  --\([a-z-]*\).*/\1/p'); do
	case $key in config | help) continue ;; esac
	grep -qE "^#?$key = " "$SHIPPED" || missing="$missing $key"
done
[ -z "$missing" ] && ok "deploy/pmifd.conf has every option" || not_ok "deploy/pmifd.conf lacks:$missing"
FP=$("$PMIFD" fingerprint --data "$DATA")
# serve_on ARGS...: 'pmifd serve ARGS --listen' on a free port ($PMIF_SERVER),
# waiting until it answers; a new port if another process took that one
serve_on() {
	for _ in 1 2 3; do
		PMIF_SERVER=tcp://127.0.0.1:$(free_port)
		"$PMIFD" serve "$@" --listen "$PMIF_SERVER" >>"$T/server.log" 2>&1 &
		SERVER_PID=$!
		for _ in $(seq 1 100); do
			"$PMIF_EXE" --server-key "$FP" --timeout 1 health >/dev/null 2>&1 && return 0
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		stop_server
	done
	echo "pmifd did not start:"; tail -5 "$T/server.log"; exit 1
}
export PMIF_SERVER
serve_on --config "$SHIPPED" --data "$DATA"
check_exit 0 "serving from deploy/pmifd.conf" -- "$PMIF_EXE" --server-key "$FP" --timeout 1 health
stop_server

# serve from the file; a command-line option wins over the file's
FILE_PORT=$(free_port)
write_conf() { # write_conf SESSION-IDLE QUIET [EXTRA LINE]
	cat >"$CONF" <<EOC
# pmifd.conf for the test
data = $DATA
listen = tcp://127.0.0.1:$FILE_PORT
workers = 2
session-idle = $1   ; seconds
quiet = $2
${3:-}
EOC
}
write_conf 1800 false
serve_on --config "$CONF" --workers 3
check_exit 0 "serving from the config file, on the command line's --listen" -- \
	"$PMIF_EXE" --server-key "$FP" --timeout 1 health
if [ "$PMIF_SERVER" != "tcp://127.0.0.1:$FILE_PORT" ]; then
	check_exit 3 "not on the file's listen (the command line's replace it)" -- \
		"$PMIF_EXE" --server-key "$FP" --timeout 1 --server "tcp://127.0.0.1:$FILE_PORT" health
fi
check_grep "serving with 3 workers" "$(server_log)" "--workers 3 wins over the file's workers = 2"

login_as admin "$ADMIN_PW"
check_exit 0 "a request under the file's settings" -- as admin whoami
check_grep "rpc WhoAmI user=admin" "$(server_log)" "quiet = false: request lines are logged"

# SIGHUP: a shorter session-idle, quiet on, and a change that needs a restart
write_conf 6 true "max-channels = 100"
kill -HUP "$SERVER_PID"
sleep 0.5
LOG=$(server_log)
check_grep "info reload: session-idle 1800 -> 6$" "$LOG" "the reload logs the session-idle change"
check_grep "info reload: quiet false -> true$" "$LOG" "the reload logs the quiet change"
check_grep "error reload: changing max-channels needs a restart: it stays 4096$" "$LOG" \
	"a change that needs a restart is logged as such"
check_no_grep "reload: (changing )?workers" "$LOG" "the command line's --workers still wins on reload"
lines_before=$(grep -c "rpc " "$T/server.log")
OUT=$(printf '%s\n' "$ADMIN_PW" | as admin --json login admin --password-stdin)
check_grep '"idle_expiry_seconds": ?6' "$OUT" "a new login is told the new session-idle"
check_exit 0 "a request right after a login" -- as admin whoami
sleep 8
check_exit 4 "the session expires after 6 idle seconds now" -- as admin whoami
check_grep "your session expired after 6 seconds without use" "$ERR" "it says why"
[ "$(server_log | grep -c "rpc ")" -eq "$lines_before" ] && ok "quiet = true: no request lines after the reload" ||
	not_ok "request lines after quiet = true"

# a bad file on SIGHUP: the server stays up and keeps its settings
printf 'data = %s\nsession-idle = soon\n' "$DATA" >"$CONF"
kill -HUP "$SERVER_PID"
sleep 0.5
check_grep "error reload: $CONF line 2: 'soon' is not a valid number for session-idle \\(1 to [0-9]+\\); the settings stay as they were" \
	"$(server_log)" "a bad file on SIGHUP is logged"
kill -0 "$SERVER_PID" 2>/dev/null && ok "the server is still up" || not_ok "the server stopped"
login_as admin "$ADMIN_PW"
sleep 8
check_exit 4 "session-idle is still 6 seconds" -- as admin whoami
rm "$CONF"
kill -HUP "$SERVER_PID"
sleep 0.5
check_grep "error reload: cannot read the config file '$CONF': No such file" "$(server_log)" \
	"a missing file on SIGHUP is logged"
check_exit 0 "still serving" -- "$PMIF_EXE" --server-key "$FP" --timeout 1 health

write_conf 1800 false
kill -HUP "$SERVER_PID"
sleep 0.5
check_grep "info reload: session-idle 6 -> 1800$" "$(server_log)" "a good file again: applied"

# a stop with nothing in flight
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
server_rc=$?
SERVER_PID=
[ "$server_rc" -eq 0 ] && ok "SIGTERM: pmifd exited 0" || not_ok "pmifd exited $server_rc"
check_grep "signal 15: stopping; 0 requests in flight" "$(cat "$T/server.log")" "SIGTERM: nothing was in flight"

# SIGTERM with a large import in flight, its commit slowed by a slow disk
# (tests/fault): it is answered, a request that arrives meanwhile is
# refused, and the import is there after a restart
python3 - "$T/big.csv" <<'PY'
import sys
rows = ["BIG-%03d,%d-%02d-Q%d,,%d,,,%s" % (m, y, (y + 1) % 100, q, 100 + (m + y + q) % 17,
        "checked against the source " * 3)
        for m in range(400) for y in range(2019, 2044) for q in range(1, 5)]
open(sys.argv[1], "w").write("measure,period,locality,value,numerator,denominator,note\n" +
                             "\n".join(rows) + "\n")
PY
PMIF_FAULT_DIR=$DATA PMIF_FAULT_CONTROL=$T/slow PMIF_FAULT_DELAY_MS=1500 \
	SERVER_PRELOAD=$BIN/tests/fault/pmif-fault.so start_server --stop-timeout 20
login_as admin "$ADMIN_PW"
touch "$T/slow"
as admin value import "$T/big.csv" >"$T/import.out" 2>"$T/import.err" &
IMPORT=$!
# in flight for certain once its commit has reached the (slow) disk
for _ in $(seq 1 300); do
	grep -q "pmif-fault: delaying a sync" "$T/server.log" && break
	sleep 0.05
done
t0=$(date +%s%N)
kill -TERM "$SERVER_PID"
sleep 0.3
check_exit 3 "a request while stopping is refused" -- "$PMIF_EXE" --server-key "$FP" --timeout 2 health
check_grep "the server is stopping" "$ERR" "it says the server is stopping"
wait "$IMPORT"
import_rc=$?
wait "$SERVER_PID"
server_rc=$?
SERVER_PID=
ms=$((($(date +%s%N) - t0) / 1000000))
rm -f "$T/slow"
LOG=$(cat "$T/server.log")
check_grep "signal 15: stopping; [1-9][0-9]* requests in flight" "$LOG" "the import was in flight at SIGTERM"
[ "$import_rc" -eq 0 ] && ok "the import in flight got its reply" ||
	{ not_ok "import exit $import_rc"; sed 's/^/#   /' "$T/import.err" | head -3; }
check_grep "imported 40000 rows: 40000 added" "$(cat "$T/import.out")" "the reply says every row"
[ "$server_rc" -eq 0 ] && ok "pmifd exited 0" || not_ok "pmifd exited $server_rc"
[ "$ms" -lt 20000 ] && ok "pmifd stopped within --stop-timeout (${ms} ms)" || not_ok "stop took $ms ms"
check_grep "stopping: [1-9][0-9]* requests finished in [0-9]+ ms" "$LOG" "the log counts what finished"
check_grep "stopped cleanly" "$(echo "$LOG" | tail -1)" "the log says stopped cleanly"
check_exit 0 "the store checks clean after the stop" -- "$PMIFD" check --data "$DATA"

start_server --quiet
login_as admin "$ADMIN_PW"
check_exit 0 "after a restart: the import's last value" -- as admin --json value get BIG-399 --period 2043-44-Q4
check_grep '"value": 1(0[0-9]|1[0-6])' "$OUT" "is there"
finish
