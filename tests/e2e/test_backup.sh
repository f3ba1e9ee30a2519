#!/usr/bin/env bash
# End-to-end: pmifd backup and restore, and the sentence for each way they
# are refused (a path that exists, a dir being served, something that is not
# a backup, a full disk, a dir without its key).  The refused ones leave
# nothing behind.  (The backup under load is tests/reliability.)
. "$(dirname "$0")/lib.sh"
SHIM=$BIN/tests/fault/pmif-fault.so

start_server
login_as admin "$ADMIN_PW"
check_exit 0 "a value before the backups" -- as admin value set FSM-UPTAKE 2022-23-Q3 84.5

check_exit 0 "pmifd backup --help" -- "$PMIFD" backup --help
check_fixed "--replace" "$OUT" "backup --help names --replace"
check_exit 0 "pmifd restore --help" -- "$PMIFD" restore --help
check_fixed "before-restore" "$OUT" "restore --help says where the old store goes"
check_exit 0 "pmifd --help lists restore" -- "$PMIFD" --help
check_fixed "restore --from PATH --data DIR" "$OUT" "pmifd --help names restore"
check_exit 2 "backup without --to is a usage error" -- "$PMIFD" backup --data "$DATA"
check_exit 2 "restore without --from is a usage error" -- "$PMIFD" restore --data "$DATA"

# a backup while serving
BK=$T/backups/one
mkdir -p "$T/backups"
check_exit 0 "backup while serving" -- "$PMIFD" backup --data "$DATA" --to "$BK"
check_grep "^backed up '.*' to '.*' in [0-9.]+ s:" "$OUT" "backup says what it wrote and how long it took"
check_grep "[0-9.]+ MB, [0-9]+ values \([0-9]+ revisions\), [0-9]+ users, [0-9]+ audit entries \(chain verified\)" "$OUT" "backup prints size and record counts"
[ -f "$BK/data.mdb" ] && [ ! -e "$BK/server.key" ] && ok "the backup holds data.mdb, not the key" || not_ok "backup contents: $(ls "$BK")"
check_exit 0 "the backup checks clean as a store" -- "$PMIFD" check --data "$BK"

# refused: onto an existing path
check_exit 1 "backup onto an existing backup is refused" -- "$PMIFD" backup --data "$DATA" --to "$BK"
check_fixed "'$BK' already exists: back up to a new path, or give --replace to replace that backup" "$ERR" "the sentence for an existing path"
mkdir "$T/backups/notabackup"; echo keep >"$T/backups/notabackup/file"
check_exit 1 "--replace will not replace a directory that is not a backup" -- "$PMIFD" backup --data "$DATA" --to "$T/backups/notabackup" --replace
check_fixed "is not a PMIF backup" "$ERR" "the sentence for replacing a non-backup"
[ -f "$T/backups/notabackup/file" ] && ok "that directory is untouched" || not_ok "the non-backup was touched"
check_exit 0 "a value after the first backup" -- as admin value set FSM-UPTAKE 2022-23-Q4 85.5
check_exit 0 "--replace replaces an earlier backup" -- "$PMIFD" backup --data "$DATA" --to "$BK" --replace
check_exit 1 "backup into a missing directory is refused" -- "$PMIFD" backup --data "$DATA" --to "$T/nodir/bk"
check_fixed "cannot back up to '$T/nodir/bk': there is no directory '$T/nodir'" "$ERR" "the sentence for a missing directory"
check_exit 1 "backup of a dir with no store is refused" -- "$PMIFD" backup --data "$T/nostore" --to "$T/backups/x"
check_fixed "there is no store in '$T/nostore'" "$ERR" "the sentence for no store"

# a full disk (the fault shim: every write under FULL fails with ENOSPC)
mkdir -p "$T/full"
check_exit 1 "backup onto a full disk fails" -- env LD_PRELOAD="$SHIM" PMIF_FAULT_DIR="$T/full" \
	PMIF_FAULT_ERRNO=ENOSPC PMIF_FAULT_COUNT=0 ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
	"$PMIFD" backup --data "$DATA" --to "$T/full/bk"
check_fixed "cannot back up to '$T/full/bk': the disk holding '$T/full' is full" "$ERR" "the sentence for a full disk"
left=$(ls -A "$T/full")
[ -z "$left" ] && ok "a failed backup leaves nothing behind" || not_ok "left behind: $left"

# refused: restore onto the dir being served
check_exit 1 "restore onto a served dir is refused" -- "$PMIFD" restore --from "$BK" --data "$DATA"
check_fixed "a pmifd is serving '$DATA': stop it first (systemctl stop pmifd), then restore" "$ERR" "the sentence for a served dir"
stop_server

# refused: not a backup, no such backup, no key, no such dir, store open elsewhere
head -c 100000 /dev/urandom >"$T/garbage"
check_exit 1 "restore from a file that is not a store is refused" -- "$PMIFD" restore --from "$T/garbage" --data "$DATA"
check_fixed "'$T/garbage' is not a PMIF backup (not a PMIF store)" "$ERR" "the sentence for a non-store"
check_exit 1 "restore from a directory without data.mdb is refused" -- "$PMIFD" restore --from "$T/backups/notabackup" --data "$DATA"
check_fixed "is not a PMIF backup: it holds no data.mdb" "$ERR" "the sentence for a directory that is no backup"
check_exit 1 "restore from a missing backup is refused" -- "$PMIFD" restore --from "$T/backups/none" --data "$DATA"
check_fixed "no such backup '$T/backups/none'" "$ERR" "the sentence for no such backup"
mkdir "$T/nokey"
check_exit 1 "restore into a dir without its key is refused" -- "$PMIFD" restore --from "$BK" --data "$T/nokey"
check_fixed "'$T/nokey' has no server.key: put the server's key there first" "$ERR" "the sentence for a missing key"
check_exit 1 "restore into a missing dir is refused" -- "$PMIFD" restore --from "$BK" --data "$T/none"
check_fixed "no such data directory '$T/none'" "$ERR" "the sentence for a missing data dir"
ls "$T/nokey" "$DATA" | grep -q restoring && not_ok "a refused restore left a temp file" || ok "refused restores leave no temp file"
# another process has the LMDB environment open (as 'pmifd check' would)
python3 -c 'import fcntl,sys,time; f=open(sys.argv[1],"r+"); fcntl.lockf(f, fcntl.LOCK_SH, 1, 0, 0); open(sys.argv[2],"w").close(); time.sleep(30)' \
	"$DATA/lock.mdb" "$T/locked" &
holder=$!
for _ in $(seq 50); do [ -f "$T/locked" ] && break; sleep 0.1; done
check_exit 1 "restore while the store is open elsewhere is refused" -- "$PMIFD" restore --from "$BK" --data "$DATA"
check_fixed "is open in another process" "$ERR" "the sentence for a store open elsewhere"
kill "$holder"; wait "$holder" 2>/dev/null

# restore: the value entered after the first backup is in the replaced one
before=$(ls "$DATA")
check_exit 0 "restore into the stopped dir" -- "$PMIFD" restore --from "$BK" --data "$DATA"
check_grep "^restored '.*' into '.*' in [0-9.]+ s:" "$OUT" "restore says what it restored and how long it took"
check_grep "kept as '$DATA/data.mdb.before-restore-[0-9-]+'" "$OUT" "restore says where the old store is"
check_fixed "server.key left as it was (fingerprint $FP)" "$OUT" "restore leaves the key and names its fingerprint"
[ ! -e "$DATA/lock.mdb" ] && ok "lock.mdb was cleared" || not_ok "lock.mdb is still there"
check_exit 0 "the restored store checks clean" -- "$PMIFD" check --data "$DATA"
start_server
login_as admin "$ADMIN_PW"
check_exit 0 "the restored store serves" -- as admin value history FSM-UPTAKE 2022-23-Q4
check_fixed "85.5" "$OUT" "a value entered before the backup was taken is back"
check_exit 0 "audit chain verifies after restore" -- as admin admin audit verify
finish
