#!/usr/bin/env bash
# End-to-end: the store's disk fills during an import (a small tmpfs).  The
# import is refused with exit 8 and the documented sentence, nothing of it
# is applied, reads go on, 'pmif health' says writes are refused (disk
# full); once space is freed the import goes through and 'pmifd check' is
# clean.  Skipped (exit 77) where tmpfs cannot be mounted.
. "$(dirname "$0")/lib.sh"

MNT=$T/mnt
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=48m pmif-diskfull "$MNT" 2>/dev/null; then
	echo "# skip: cannot mount a tmpfs here (needs root)"
	exit 77
fi
trap 'stop_server; umount -l "$MNT" 2>/dev/null; cleanup' EXIT
DATA=$MNT/data

framework_with_measures 200 "BIG-%03d" "Bulk measure %d" "$T/framework.json"
python3 - "$T/big.csv" <<'PY'
import sys
rows = []
for m in range(200):
    for y in range(2019, 2044):
        for q in range(1, 5):
            rows.append("BIG-%03d,%d-%02d-Q%d,,%d,,,%s" % (m, y, (y + 1) % 100, q,
                        100 + (m + y + q) % 17, "checked against the source " * 3))
open(sys.argv[1], "w").write("measure,period,locality,value,numerator,denominator,note\n" +
                             "\n".join(rows) + "\n")
PY
INIT_ARGS="--framework $T/framework.json"
start_server
login_as admin "$ADMIN_PW"
check_exit 0 "a value before the disk fills" -- as admin value set BIG-000 2019-20-Q1 7 --note "before"

# leave about 512 KiB free: far less than the import needs
avail=$(df -k --output=avail "$MNT" | tail -1)
fallocate -l $(((avail - 512) * 1024)) "$MNT/filler" 2>/dev/null ||
	head -c $(((avail - 512) * 1024)) /dev/zero >"$MNT/filler" 2>/dev/null
echo "# free on the store's disk: $(df -k --output=avail "$MNT" | tail -1) KiB"

check_exit 8 "the import is refused when the disk fills" -- as admin value import "$T/big.csv"
check_fixed "the server's disk is full: nothing was saved; tell the administrator" "$ERR" \
	"the sentence says what happened and what to do"
check_exit 0 "reads go on" -- as admin --json value get BIG-000 --period 2019-20-Q1
check_fixed '"value": 7' "$(printf '%s' "$OUT" | tr -s ' ')" "the value from before is there"
check_exit 0 "nothing of the failed import was applied" -- as admin --json value get BIG-199 --period 2043-44-Q4
check_no_grep '"period": "2043-44-Q4"|"submitted_by"' "$OUT" "BIG-199 has no value"
check_exit 0 "nor of any row" -- as admin --json value get BIG-100
check_no_grep '"submitted_by"' "$OUT" "BIG-100 has no values"
check_exit 0 "health answers" -- as admin health
check_grep "writes: refused since [0-9]{2}:[0-9]{2} \(disk full\)" "$OUT" "health says writes are refused (disk full)"
check_grep "group commit failed.*errno 28" "$(server_log)" "the server log has the true errno (ENOSPC)"

rm -f "$MNT/filler"
check_exit 0 "once space is freed the import goes through" -- as admin value import "$T/big.csv"
check_grep "imported 20000 rows" "$OUT" "every row imported"
check_exit 0 "an imported value" -- as admin --json value get BIG-199 --period 2043-44-Q4
check_grep '"submitted_by"' "$OUT" "BIG-199 has its value now"
check_exit 0 "health answers" -- as admin health
check_fixed "writes: accepted" "$OUT" "health says writes are accepted"
stop_server
check_exit 0 "pmifd check is clean" -- "$PMIFD" check --data "$DATA"
finish
