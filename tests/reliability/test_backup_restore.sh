#!/usr/bin/env bash
# Backup under load, restored: BK_WRITERS clients (default 4) write
# continuously, one new key per write, each acknowledgement logged with the
# time it arrived; 'pmifd backup' runs in the middle of it, and the writers go
# on after it.  The backup is restored into a fresh dir holding the same
# server key and served.  Every write acknowledged before the backup began
# must be there exactly once (value and audit entry); a write acknowledged
# during or after it may be there or not, but never half (a value without its
# audit entry, or the other way round).  pmifd check is clean, the audit
# chain verifies.
. "$(dirname "$0")/../e2e/lib.sh"
WRITERS=${BK_WRITERS:-4}
start_time=$(date +%s)

python3 - "$SRC/deploy/framework/gateshead.json" "$T/framework.json" "$WRITERS" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
f["periods"]["last_year"] = "2068-69"
for i in range(1, int(sys.argv[3]) + 1):
    f["measures"].append({"id": "BK-%d" % i, "title": "Backup drill measure %d" % i,
        "objective": "PO1", "kind": "operational", "unit": "count", "polarity": "none",
        "frequency": "quarterly", "directorate": "CAF", "committees": ["FAMILIES-OSC"],
        "by_locality": False, "decimals": 0, "source": "test"})
json.dump(f, open(sys.argv[2], "w"))
PY
INIT_ARGS="--framework $T/framework.json"
start_server --quiet
for c in $(seq 1 "$WRITERS"); do printf '%s\n' "$ADMIN_PW" | as "c$c" login admin --password-stdin >/dev/null; done

# writer C: measure BK-C, successive quarters from 2019-20; "M P V T" per ack,
# T = $EPOCHREALTIME when the acknowledgement was in (after the reply)
writer() {
	local c=$1 i=0 y q p v
	while [ ! -f "$T/stop" ] && [ $i -lt 200 ]; do
		y=$((2019 + i / 4)); q=$((i % 4 + 1))
		p="$y-$(printf %02d $(((y + 1) % 100)))-Q$q" v=$((c * 1000 + i))
		if as "c$c" --timeout 5 value set "BK-$c" "$p" "$v" >/dev/null 2>>"$T/w$c.err"; then
			echo "BK-$c $p $v $EPOCHREALTIME" >>"$T/acked-$c"
		else
			echo "BK-$c $p $v $EPOCHREALTIME" >>"$T/failed-$c"
		fi
		i=$((i + 1)) # a new key either way: an unacknowledged write may have landed
	done
}
pids=()
for c in $(seq 1 "$WRITERS"); do writer "$c" & pids+=($!); done

sleep 2
began=$EPOCHREALTIME
check_exit 0 "pmifd backup while $WRITERS writers write" -- "$PMIFD" backup --data "$DATA" --to "$T/backup"
ended=$EPOCHREALTIME
echo "# $(printf '%s' "$OUT" | tr '\n' ' ')"
sleep 1.5
touch "$T/stop"
wait "${pids[@]}"
stop_server

cat "$T"/acked-* >"$T/acked" 2>/dev/null
cat "$T"/failed-* >"$T/failed" 2>/dev/null
n_before=$(awk -v b="$began" '$4 < b' "$T/acked" | wc -l)
n_after=$(awk -v e="$ended" '$4 > e' "$T/acked" | wc -l)
[ "$n_before" -gt 0 ] && ok "$n_before writes acknowledged before the backup began" || not_ok "no write acknowledged before the backup"
[ "$n_after" -gt 0 ] && ok "$n_after writes acknowledged after it ended (the writers went on)" || not_ok "no write acknowledged after the backup"

# restore into a fresh dir that holds the same key, and serve it
R=$T/restored
mkdir -m 0700 "$R"
cp -p "$DATA/server.key" "$R/"
check_exit 0 "pmifd restore into a fresh dir with the same key" -- "$PMIFD" restore --from "$T/backup" --data "$R"
echo "# $(printf '%s' "$OUT" | head -2 | tr '\n' ' ')"
DATA=$R
start_server --quiet
login_as admin "$ADMIN_PW"

: >"$T/audit.txt"; after=0
while as admin admin audit --limit 1000 --after "$after" >"$T/audit-page" 2>&1 && [ -s "$T/audit-page" ]; do
	grep -v '^(more' "$T/audit-page" >>"$T/audit.txt"
	next=$(grep -v '^(more' "$T/audit-page" | awk 'END{print $1}'); [ "$next" -gt "$after" ] 2>/dev/null || break; after=$next
done
for c in $(seq 1 "$WRITERS"); do as admin --json value get "BK-$c" >"$T/values-$c.json" 2>/dev/null || echo '{}' >"$T/values-$c.json"; done

# classify every attempted write (acknowledged or not) against the restored store
verdict=$(python3 - "$T" "$WRITERS" "$began" "$ended" <<'PY'
import json, sys, glob, collections
t, writers, began, ended = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
stored = {}
for c in range(1, writers + 1):
    doc = json.load(open("%s/values-%d.json" % (t, c)))
    for row in doc.get("values", []):
        v = row.get("value", row)
        if v.get("locality", "borough") == "borough":
            stored[(v["measure"], v["period"])] = v.get("value")
audit = collections.Counter()
for line in open(t + "/audit.txt"):
    if "ValueSet" in line:
        for w in line.split():
            if w.startswith("value/"):
                audit[w] += 1
def state(m, p, v):
    here = (m, p) in stored and float(stored[(m, p)]) == float(v)
    other = (m, p) in stored and not here
    n = audit["value/%s/%s/borough" % (m, p)]
    if other: return "wrong"
    if here and n == 1: return "whole"
    if not here and n == 0: return "absent"
    return "half"
counts = collections.Counter()
bad = []
for name in ("acked", "failed"):
    for line in open("%s/%s" % (t, name)):
        m, p, v, ts = line.split()
        when = "before" if name == "acked" and float(ts) < began else \
               "after" if name == "acked" and float(ts) > ended else \
               "during" if name == "acked" else "unacked"
        s = state(m, p, v)
        counts[when + "-" + s] += 1
        if s in ("half", "wrong") or (when == "before" and s != "whole"):
            bad.append("%s %s %s %s: %s" % (when, m, p, v, s))
print(" ".join("%s=%d" % kv for kv in sorted(counts.items())))
print("stored=%d audited=%d" % (len(stored), sum(audit.values())))
for b in bad[:20]: print("BAD " + b)
PY
)
echo "$verdict" | sed 's/^/# /'
before_whole=$(printf '%s' "$verdict" | grep -o 'before-whole=[0-9]*' | cut -d= -f2)
[ "${before_whole:-0}" -eq "$n_before" ] && ok "every write acknowledged before the backup began is restored exactly once ($n_before)" ||
	not_ok "only ${before_whole:-0} of $n_before writes acknowledged before the backup are restored whole"
check_no_grep "^BAD" "$verdict" "no write is half there (value without its audit entry, or the other way round)"
after_whole=$(printf '%s' "$verdict" | grep -o 'after-whole=[0-9]*' | cut -d= -f2)
[ "${after_whole:-0}" -lt "$n_after" ] && ok "the backup is a snapshot: writes acknowledged after it ended are not all in it" ||
	not_ok "every write acknowledged after the backup ended is in it: was it taken at all?"
check_exit 0 "pmifd check is clean on the restored store" -- "$PMIFD" check --data "$R"
check_exit 0 "audit chain verifies on the restored store" -- as admin admin audit verify
echo "# writers=$WRITERS acked=$(wc -l <"$T/acked") before=$n_before after=$n_after unacked=$(wc -l <"$T/failed") seconds=$(($(date +%s) - start_time))"
finish
