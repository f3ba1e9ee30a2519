#!/usr/bin/env bash
# End-to-end: a store made by the previous format (schema 1, by the pmifd
# of commit 105c1b4: tests/data/store-schema1) is read as it is by 'pmifd
# check', migrated by 'pmifd serve' after a copy to DIR/pre-migration-v1,
# and then serves its admin; a store newer than this pmifd is refused by
# serve and check with the sentence that says what to do.
. "$(dirname "$0")/lib.sh"

mkdir -p "$DATA"
cp "$SRC/tests/data/store-schema1/data.mdb" "$SRC/tests/data/store-schema1/server.key" "$DATA/"
chmod 700 "$DATA"
chmod 600 "$DATA"/*

check_exit 0 "pmifd check reads the schema-1 store as it is" -- "$PMIFD" check --data "$DATA"
check_fixed "schema 1 (older: 'pmifd serve' migrates it to 2, after a copy to $DATA/pre-migration-v1)" \
	"$OUT" "check says what serve will do"
if [ -e "$DATA/pre-migration-v1" ]; then not_ok "check made a copy"; else ok "check changed nothing"; fi

start_server
log=$(server_log)
check_fixed "copied the store in $DATA (schema 1) to $DATA/pre-migration-v1 before migrating it" \
	"$log" "the log says where the copy is"
check_fixed "store migrated from schema 1 to 2" "$log" "the log says it migrated"
login_as admin "$ADMIN_PW"
check_exit 0 "the schema-1 admin logs in" -- as admin whoami
check_exit 0 "health" -- as admin health
check_grep "schema 2" "$OUT" "health says schema 2"
check_exit 0 "the audit chain verifies" -- as admin admin audit verify
stop_server
: >"$T/server.log"

check_exit 0 "pmifd check after the migration" -- "$PMIFD" check --data "$DATA"
check_grep "^schema 2; map" "$OUT" "schema 2 now"
check_grep "created [0-9-]{10} [0-9:]{5} UTC by a pmifd before schema 2" "$OUT" \
	"its creation comes from its first audit entry"
check_grep "migrated from schema 1 on [0-9-]{10} [0-9:]{5} UTC by pmifd [0-9.]+" "$OUT" \
	"and its migration is recorded"
check_exit 0 "the copy from before checks clean" -- "$PMIFD" check --data "$DATA/pre-migration-v1"
check_grep "^schema 1 " "$OUT" "and is schema 1"
start_server
check_no_grep "migrat" "$(server_log)" "served again: nothing more to migrate"
stop_server

# a store from a newer pmifd (schema 3): mdb_load (lmdb-utils) plants it
if command -v mdb_load >/dev/null; then
	printf 'schema_version\n\\03\\00\\00\\00\n' | mdb_load -T -s meta "$DATA"
	newer="the store in $DATA was written by a newer pmifd (schema 3; this one reads up to 2): run the newer pmifd, or restore a backup made by this version"
	check_exit 1 "pmifd check refuses a newer store" -- "$PMIFD" check --data "$DATA"
	check_fixed "$newer" "$ERR" "with the sentence"
	check_exit 1 "pmifd serve refuses it" -- "$PMIFD" serve --data "$DATA" --listen "tcp://127.0.0.1:$(free_port)"
	check_fixed "$newer" "$ERR" "with the sentence"
	check_exit 1 "pmifd backup refuses it" -- "$PMIFD" backup --data "$DATA" --to "$T/bk"
	check_fixed "$newer" "$ERR" "with the sentence"
else
	echo "# skip: no mdb_load (lmdb-utils) to plant a newer schema"
fi
finish
