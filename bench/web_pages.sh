#!/usr/bin/env bash
# web_pages.sh [BUILD_DIR] - pmif-web's server-side page time: the median of
# 20 loads of the Families committee pack page and of the whole scorecard
# page, on a store of the council's framework plus 10,000 generated
# measures (pmif-bench fw-gen) with 1,000,000 values (csv-gen) and the demo
# data.  The time is pmif-web's own (its log: from the request's first byte
# to the answer queued, pmifd's work and the rendering included), so the
# network to the browser is not in it.
#
#   bash bench/web_pages.sh build        # N=20 by default; N=5 for a quick look
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-$SRC/build}" && pwd)
N=${N:-20}
T=$(mktemp -d "${BENCH_TMP:-/tmp}/pmif-webbench.XXXXXX")
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$T"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
say() { printf '# %s\n' "$*" >&2; }

say "a framework with 10,000 more measures and 1,000,000 values"
"$B/bench/pmif-bench" fw-gen "$SRC/deploy/framework/gateshead.json" "$T/fw.json" --measures 10000 \
	--sizes "PO3:10,PO4:100,PO5:1000,PO1:*" >/dev/null
"$B/bench/pmif-bench" csv-gen "$T/values.csv" --rows 1000000 >/dev/null
printf 'bench password 1\n' | "$B/server/pmifd" init --data "$T/data" --admin admin --password-stdin \
	--framework "$T/fw.json" --demo >/dev/null
FP=$("$B/server/pmifd" fingerprint --data "$T/data")
URL=tcp://127.0.0.1:$(free_port)
"$B/server/pmifd" serve --data "$T/data" --listen "$URL" >"$T/pmifd.log" 2>&1 &
PIDS+=($!)
export XDG_CONFIG_HOME=$T/cfg
pmif() { "$B/client/pmif" --server "$URL" --server-key "$FP" --timeout 120 "$@"; }
for _ in $(seq 1 100); do pmif --timeout 1 health >/dev/null 2>&1 && break; sleep 0.1; done
printf 'bench password 1\n' | pmif login admin --password-stdin >/dev/null
pmif value import "$T/values.csv" >/dev/null 2>&1

WEB_PORT=$(free_port)
W=http://127.0.0.1:$WEB_PORT
"$B/web/pmif-web" --listen "127.0.0.1:$WEB_PORT" --server "$URL" --server-key "$FP" 2>>"$T/web.log" &
PIDS+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "$W/login" && break; sleep 0.1; done
J=$T/jar
CSRF=$(curl -s -c "$J" -b "$J" "$W/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | sed 's/.*value="//;s/"$//')
curl -s -c "$J" -b "$J" -o /dev/null --data-urlencode user=admin --data-urlencode 'password=bench password 1' \
	--data-urlencode "csrf=$CSRF" "$W/login"

# times PATH: pmif-web's times for PATH's answers in its log so far
times() { grep -aF " GET ${1%%\?*} 200 " "$T/web.log" | awk '{print $(NF-1)}'; }

# page NAME PATH: the first load (pmifd computes the report), then the
# median of N more (pmifd answers from its report cache)
page() {
	local name=$1 path=$2 size first
	: >"$T/web.log"
	size=$(curl -s -b "$J" -o /dev/null -w '%{size_download}' "$W$path")
	sleep 0.2
	first=$(times "$path")
	: >"$T/web.log"
	for _ in $(seq 1 "$N"); do curl -s -b "$J" -o /dev/null "$W$path"; done
	sleep 0.2
	times "$path" | sort -n |
		awk -v name="$name" -v first="$first" -v size="$size" '{v[NR]=$1} END {
			if (NR == 0) { print name ": no answers"; exit 1 }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%-46s first %8.1f ms, then median %8.1f ms (min %.1f, max %.1f, %d loads), %.0f KB\n",
				name, first, m, v[1], v[NR], NR, size / 1e3 }'
}
page "Families pack page (2022-23-Q4)" "/pack?committee=FAMILIES-OSC&period=2022-23-Q4"
page "scorecard page, 10,000+ measures (2023-24-Q4)" "/scorecard?period=2023-24-Q4"
page "scorecard page, Families OSC (2022-23-Q4)" "/scorecard?committee=FAMILIES-OSC&period=2022-23-Q4"
