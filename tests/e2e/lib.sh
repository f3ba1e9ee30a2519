# lib.sh - shared by the end-to-end tests: a temp dir, a real pmifd on a
# free loopback port, the real pmif, and TAP-like checks.
#
# Environment: PMIF_BIN_DIR (build dir with server/pmifd, client/pmif,
# tests/e2e/pmif-wire), PMIF_SOURCE_DIR (the repository).

set -u
BIN=${PMIF_BIN_DIR:?set PMIF_BIN_DIR to the build directory}
SRC=${PMIF_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PMIFD=$BIN/server/pmifd
PMIF_EXE=$BIN/client/pmif
WIRE=$BIN/tests/e2e/pmif-wire

# PMIF_TEST_TMPDIR: where the temp dir goes (default /tmp)
T=$(mktemp -d "${PMIF_TEST_TMPDIR:-/tmp}/pmif-e2e.XXXXXX")
DATA=$T/data
export HOME=$T/home
export XDG_CONFIG_HOME=$T/config
unset PMIF_SERVER_KEY
mkdir -p "$HOME"
PASSED=0
FAILED=0
SERVER_PID=
ADMIN_PW='admin password 1'
# what 'pmifd init' is given besides the admin (a test may override it)
INIT_ARGS=${INIT_ARGS:---framework $SRC/deploy/framework/gateshead.json}

cleanup() {
	stop_server
	if [ "$FAILED" -eq 0 ]; then rm -rf "$T"; else echo "# kept $T for inspection"; fi
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

# start_server [extra serve options...]: init if needed, serve, wait until it answers.
# framework_with_measures N ID_FORMAT TITLE_FORMAT OUT: the council's
# framework with N more quarterly count measures (CAF's, on FAMILIES-OSC,
# no polarity; ids and titles from the printf-style formats, e.g. "BIG-%03d")
# and periods up to 2044-45, for tests that need room to write.
framework_with_measures() {
	python3 - "$SRC/deploy/framework/gateshead.json" "$@" <<'PY'
import json, sys
src, n, id_fmt, title_fmt, out = sys.argv[1:6]
f = json.load(open(src))
f["periods"]["last_year"] = "2044-45"
for i in range(int(n)):
    f["measures"].append({"id": id_fmt % i, "title": title_fmt % i,
        "objective": "PO1", "kind": "operational", "unit": "count", "polarity": "none",
        "frequency": "quarterly", "directorate": "CAF", "committees": ["FAMILIES-OSC"],
        "by_locality": False, "decimals": 0, "source": "test"})
json.dump(f, open(out, "w"))
PY
}

start_server() {
	if [ ! -f "$DATA/data.mdb" ]; then
		printf '%s\n' "$ADMIN_PW" | "$PMIFD" init --data "$DATA" --admin admin --password-stdin $INIT_ARGS >"$T/init.out" 2>&1 ||
			{ echo "pmifd init failed:"; cat "$T/init.out"; exit 1; }
	fi
	PORT=$(free_port)
	export PMIF_SERVER=tcp://127.0.0.1:$PORT
	export FP=$("$PMIFD" fingerprint --data "$DATA")
	serve_again "$@"
}

# serve_again [extra serve options...]: serve the store on the same port as
# before and wait until it answers (clients keep their session file, which
# is per server URL)
serve_again() {
	# SERVER_PRELOAD: a shim for the server only (tests/fault)
	# (under ASan the shim comes before ASan's runtime: tell ASan that is meant)
	ASAN_OPTIONS=${ASAN_OPTIONS:-}${SERVER_PRELOAD:+:verify_asan_link_order=0} \
		LD_PRELOAD=${SERVER_PRELOAD:-} "$PMIFD" serve --data "$DATA" --listen "$PMIF_SERVER" "$@" >>"$T/server.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 100); do
		"$PMIF_EXE" --server-key "$FP" --timeout 1 health >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "pmifd did not start:"; cat "$T/server.log"; exit 1
}

# restart_server [extra serve options...]: stop, then serve_again
restart_server() {
	stop_server
	serve_again "$@"
}

stop_server() {
	if [ -n "$SERVER_PID" ]; then
		kill -TERM "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=
	fi
}

# pmif as a given user: each user has their own config dir (own session).
as() {
	local who=$1; shift
	XDG_CONFIG_HOME=$T/config-$who "$PMIF_EXE" --server-key "$FP" "$@"
}

# login_as USER PASSWORD
login_as() {
	printf '%s\n' "$2" | as "$1" login "$1" --password-stdin >/dev/null
}

ok() { PASSED=$((PASSED + 1)); echo "ok - $*"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $*"; }

# check_exit CODE DESCRIPTION -- COMMAND...: run, compare the exit code;
# stdout and stderr are kept in $OUT and $ERR.
check_exit() {
	local want=$1 what=$2; shift 3
	"$@" >"$T/out" 2>"$T/err"
	local got=$?
	OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
	if [ "$got" -eq "$want" ]; then ok "$what (exit $got)"; else
		not_ok "$what: exit $got, wanted $want"; sed 's/^/#   /' "$T/err" | head -5; fi
}

# check_grep PATTERN TEXT DESCRIPTION
check_grep() {
	if printf '%s' "$2" | grep -qE -- "$1"; then ok "$3"; else
		not_ok "$3: no '$1' in:"; printf '%s\n' "$2" | head -8 | sed 's/^/#   /'; fi
}

# check_fixed STRING TEXT DESCRIPTION: like check_grep, for a literal string
check_fixed() {
	if printf '%s' "$2" | grep -qF -- "$1"; then ok "$3"; else
		not_ok "$3: no '$1' in:"; printf '%s\n' "$2" | head -8 | sed 's/^/#   /'; fi
}

check_no_grep() {
	if printf '%s' "$2" | grep -qE -- "$1"; then not_ok "$3: found '$1'"; else ok "$3"; fi
}

# server_log: the server's log so far; pmifd writes request lines out every
# 100 ms (log.c), so wait that long first
server_log() {
	sleep 0.3
	cat "$T/server.log"
}

# audit_count: entries in the audit chain (pmifd check works while serving)
audit_count() {
	"$PMIFD" check --data "$DATA" 2>/dev/null | sed -n 's/^audit chain intact: \([0-9]*\) entries$/\1/p'
}

# session_file WHO: the pmif session file of 'as WHO'
session_file() {
	ls "$T/config-$1"/pmif/session-*.state
}

# state_edit FILE FIELD flip|drop: flip a bit of, or remove, field number
# FIELD (a bytes field) of the protobuf ClientState in FILE
state_edit() {
	python3 - "$@" <<'PY'
import sys
path, field, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
b = open(path, "rb").read()
def varint(i):
    v = s = 0
    while True:
        c = b[i]; i += 1; v |= (c & 0x7f) << s; s += 7
        if c < 0x80: return v, i
out, i, found = bytearray(), 0, False
while i < len(b):
    start = i
    key, i = varint(i)
    kind = key & 7
    if kind == 0: _, i = varint(i)
    elif kind == 2: n, i = varint(i); i += n
    elif kind == 1: i += 8
    elif kind == 5: i += 4
    else: sys.exit("unknown wire type")
    rec = bytearray(b[start:i])
    if key >> 3 == field and kind == 2:
        found = True
        if how == "drop": continue
        rec[-1] ^= 0x01
    out += rec
if not found: sys.exit("field %d not in %s" % (field, path))
open(path, "wb").write(bytes(out))
PY
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
