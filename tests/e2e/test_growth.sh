#!/usr/bin/env bash
# End-to-end: the store's map grows and stops at its ceiling (issue 13).
# Served with --map-size 1 --map-max 4 (MB), a small import makes the map
# grow (the log says from what to what); a large one does not fit under
# the ceiling: exit 8 with the sentence naming --map-max, nothing of it
# applied, reads go on, the data file stays under the ceiling and 'pmifd
# check' is clean.  Served again with --map-max 16 the same import goes
# through.  Bad values for the two flags are usage errors (exit 2).
. "$(dirname "$0")/lib.sh"

framework_with_measures 200 "BIG-%03d" "Bulk measure %d" "$T/framework.json"
# make_csv FIRST LAST FILE: 100 quarters of each measure BIG-FIRST..BIG-LAST
make_csv() {
	python3 - "$1" "$2" "$3" <<'PY'
import sys
first, last, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rows = []
for m in range(first, last + 1):
    for y in range(2019, 2044):
        for q in range(1, 5):
            rows.append("BIG-%03d,%d-%02d-Q%d,,%d,,,%s" % (m, y, (y + 1) % 100, q,
                        100 + (m + y + q) % 17, "checked against the source " * 3))
open(path, "w").write("measure,period,locality,value,numerator,denominator,note\n" +
                      "\n".join(rows) + "\n")
PY
}
make_csv 0 19 "$T/small.csv"   # 2,000 rows: about 1 MB more in the store
make_csv 20 199 "$T/big.csv"   # 18,000 rows: about 7 MB more
INIT_ARGS="--framework $T/framework.json"
MB=1048576

# the flags' bad values are usage errors, before anything is opened
check_exit 2 "--map-size 0 is refused" -- "$PMIFD" serve --data "$DATA" --map-size 0
check_fixed "'0' is not a valid number for --map-size" "$ERR" "the sentence names the flag"
check_exit 2 "--map-max with words is refused" -- "$PMIFD" serve --data "$DATA" --map-max lots
check_fixed "'lots' is not a valid number for --map-max" "$ERR" "the sentence names the flag"
check_exit 2 "--map-size above --map-max is refused" -- \
	"$PMIFD" serve --data "$DATA" --map-size 64 --map-max 32
check_fixed "--map-size 64 MB is more than --map-max 32 MB: lower --map-size or raise --map-max" \
	"$ERR" "the sentence says which is which and what to do"
check_exit 0 "serve --help" -- "$PMIFD" serve --help
check_grep "--map-size MB" "$OUT" "the help lists --map-size"
check_grep "--map-max MB .*\(default 16384\)" "$OUT" "the help lists --map-max and its default"

start_server --map-size 1 --map-max 4
login_as admin "$ADMIN_PW"
check_grep "store map 1 MB \(ceiling 4 MB\)" "$(server_log)" "the log says the map and its ceiling"
check_exit 0 "a small import" -- as admin value import "$T/small.csv"
check_grep "imported 2000 rows" "$OUT" "every row imported"
check_grep "store map grown from 1 MB to 2 MB \(ceiling 4 MB\)" "$(server_log)" \
	"the map grew, and the log says so"
check_exit 0 "an imported value" -- as admin --json value get BIG-019 --period 2043-44-Q4
check_grep '"submitted_by"' "$OUT" "BIG-019 has its value"

check_exit 8 "past the ceiling the import is refused" -- as admin value import "$T/big.csv"
check_fixed "the store has reached its size ceiling (--map-max 4 MB): nothing was saved; tell the administrator to raise --map-max" \
	"$ERR" "the sentence names the setting and what to do"
check_grep "store map grown from 2 MB to 4 MB" "$(server_log)" "it grew to the ceiling first"
check_no_grep "grown from 4 MB" "$(server_log)" "and not past it"
check_exit 0 "reads go on" -- as admin --json value get BIG-019 --period 2043-44-Q4
check_grep '"submitted_by"' "$OUT" "the earlier import is still there"
check_exit 0 "nothing of the refused import was applied" -- as admin --json value get BIG-199
check_no_grep '"submitted_by"' "$OUT" "BIG-199 has no values"
check_exit 0 "health answers" -- as admin health
check_grep "writes: refused since [0-9]{2}:[0-9]{2} \(.*ceiling.*\)" "$OUT" \
	"health says writes are refused (size ceiling)"
check_exit 0 "a small write still fits" -- as admin value set BIG-020 2019-20-Q1 7 --note "after"
size=$(stat -c %s "$DATA/data.mdb")
echo "# data file: $size bytes"
if [ "$size" -le $((4 * MB)) ]; then ok "the data file stays under the ceiling"; else
	not_ok "the data file is $size bytes, over the 4 MB ceiling"; fi
check_exit 0 "pmifd check is clean, beside the server" -- "$PMIFD" check --data "$DATA"
check_grep "audit chain intact" "$OUT" "the chain is intact"
stop_server

# a bigger ceiling: the map starts at what the file holds (1.1 MB: 2 MB
# in whole MB), not at --map-size
: >"$T/server.log"
start_server --map-size 1 --map-max 16
login_as admin "$ADMIN_PW"
check_grep "store map 2 MB \(ceiling 16 MB\)" "$(server_log)" \
	"the map starts no smaller than the data file"
check_exit 0 "with --map-max 16 the import goes through" -- as admin value import "$T/big.csv"
check_grep "imported 18000 rows" "$OUT" "every row imported"
check_grep "store map grown from 2 MB to 4 MB \(ceiling 16 MB\)" "$(server_log)" "the map grew again"
check_grep "store map grown from 4 MB to 8 MB \(ceiling 16 MB\)" "$(server_log)" "and again"
check_exit 0 "an imported value" -- as admin --json value get BIG-199 --period 2043-44-Q4
check_grep '"submitted_by"' "$OUT" "BIG-199 has its value now"
check_exit 0 "health answers" -- as admin health
check_fixed "writes: accepted" "$OUT" "health says writes are accepted"
stop_server
size=$(stat -c %s "$DATA/data.mdb")
echo "# data file: $size bytes"
if [ "$size" -le $((16 * MB)) ]; then ok "the data file is under the new ceiling"; else
	not_ok "the data file is $size bytes, over 16 MB"; fi
check_exit 0 "pmifd check is clean" -- "$PMIFD" check --data "$DATA"
check_grep "^schema 2; map [0-9]+ MB" "$OUT" "check says the schema and the map it opened"
check_exit 0 "pmifd backup copies it" -- "$PMIFD" backup --data "$DATA" --to "$T/backup"
check_exit 0 "the backup checks clean" -- "$PMIFD" check --data "$T/backup"
finish
