#!/usr/bin/env bash
# End-to-end: the secure channel.  Nothing readable on the wire, key
# pinning, replayed/altered frames refused, tokens bound to their channel,
# login throttling.
. "$(dirname "$0")/lib.sh"

start_server
check_exit 0 "admin logs in" -- login_as admin "$ADMIN_PW"

# --- a capture of a whole session holds no password, token or user name
if command -v tcpdump >/dev/null; then
	tcpdump -i lo -U -w "$T/cap.pcap" "tcp port $PORT" >"$T/tcpdump.log" 2>&1 &
	TCPDUMP=$!
	sleep 1
	printf 'secret capture pw 7\n' | as admin admin user add capturedmember --role member --password-stdin >/dev/null
	login_as capturedmember 'secret capture pw 7'
	as capturedmember whoami >/dev/null
	as capturedmember logout >/dev/null
	login_as capturedmember 'secret capture pw 7'
	as capturedmember whoami >/dev/null
	TOKEN=$("$WIRE" token "$T"/config-capturedmember/pmif/session-*.state)
	sleep 1
	kill -INT "$TCPDUMP"; wait "$TCPDUMP" 2>/dev/null
	python3 - "$T/cap.pcap" "$TOKEN" >"$T/capcheck" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
tok = bytes.fromhex(sys.argv[2])
print("bytes=%d" % len(data))
print("token_len=%d" % len(tok))
for name, needle in (("password", b"secret capture pw 7"), ("user", b"capturedmember"), ("token", tok), ("role", b"member")):
    print("%s=%s" % (name, "found" if needle in data else "absent"))
PY
	CAP=$(cat "$T/capcheck")
	check_grep 'token_len=32' "$CAP" "a session token was issued"
	size=$(printf '%s' "$CAP" | sed -n 's/^bytes=//p')
	[ "${size:-0}" -gt 3000 ] && ok "capture holds the session ($size bytes)" || not_ok "capture too small: $size"
	check_grep 'password=absent' "$CAP" "password not in the capture"
	check_grep 'user=absent' "$CAP" "user name not in the capture"
	check_grep 'token=absent' "$CAP" "session token not in the capture"
	check_grep 'role=absent' "$CAP" "role not in the capture"
else
	not_ok "tcpdump is not installed (deploy/install-deps.sh installs it)"
fi

# --- pinning
WRONG=SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
logins_before=$(server_log | grep -c 'rpc Login')
audit_before=$(audit_count)
check_exit 4 "client pinned to another key refuses" -- sh -c "printf '%s\n' '$ADMIN_PW' | XDG_CONFIG_HOME=$T/config-pin $PMIF_EXE --server-key $WRONG login admin --password-stdin"
check_grep "not the pinned" "$ERR" "mismatch message"
[ "$(server_log | grep -c 'rpc Login')" -eq "$logins_before" ] && ok "no login reached the server" || not_ok "a login was sent"
[ "$(audit_count)" -eq "$audit_before" ] && ok "audit unchanged by the refused client" || not_ok "audit changed"
check_exit 4 "unknown key without a terminal is refused" -- sh -c "printf '%s\n' '$ADMIN_PW' | XDG_CONFIG_HOME=$T/config-new $PMIF_EXE login admin --password-stdin"
check_fixed "not known yet; its key is $FP" "$ERR" "names the key and how to pin it"
check_fixed "pmif --server-key $FP" "$ERR" "gives the command that pins it"
check_exit 0 "explicit pin works and is remembered" -- sh -c "printf '%s\n' '$ADMIN_PW' | XDG_CONFIG_HOME=$T/config-new $PMIF_EXE --server-key $FP login admin --password-stdin"
check_exit 0 "later commands need no --server-key" -- env XDG_CONFIG_HOME=$T/config-new "$PMIF_EXE" whoami
sed -i "s|$FP|$WRONG|" "$T/config-new/pmif/known_servers"
rm -f "$T"/config-new/pmif/session-*.state
check_exit 4 "a changed key is refused loudly" -- env XDG_CONFIG_HOME=$T/config-new "$PMIF_EXE" whoami
check_grep "has CHANGED" "$ERR" "changed-key warning"

# --- replayed, altered and truncated frames
audit_before=$(audit_count)
check_exit 0 "replay run" -- sh -c "printf '%s\n' '$ADMIN_PW' | $WIRE replay $PMIF_SERVER $FP admin"
check_grep '^original: reply code=0' "$OUT" "original write accepted"
check_grep '^replay same socket: refused\(3\)' "$OUT" "replay on the same socket refused"
check_grep '^replay new socket: refused\(3\)' "$OUT" "replay on a new socket refused"
check_grep '^bit flipped: refused\(4\)' "$OUT" "bit-flipped frame refused"
check_grep '^truncated: refused\(4\)' "$OUT" "truncated frame refused"
check_grep '^honest after: reply code=0' "$OUT" "channel still works"
[ "$(audit_count)" -eq $((audit_before + 2)) ] && ok "the write was applied once (login + add)" || not_ok "audit grew by $(( $(audit_count) - audit_before ))"
NEWUSER=$(printf '%s' "$OUT" | sed -n 's/^user=//p')
check_exit 0 "replayed user exists once" -- as admin --json admin user list
[ "$(printf '%s' "$OUT" | grep -c "\"name\": \"$NEWUSER\"")" -eq 1 ] && ok "one user from the replayed request" || not_ok "user count wrong"

# --- the wire rules of docs/SECURITY.md and docs/PROTOCOL.md, with frames
# sealed and opened by pmif-wire's own code written from the documents
check_exit 0 "wire rules run" -- sh -c "printf '%s\n' '$ADMIN_PW' | $WIRE rules $PMIF_SERVER $FP admin"
check_grep '^empty plaintext: chunks=1 frame=36 reply counter=0 code=0' "$OUT" "first counter 0 each way; empty plaintext is one 16-byte chunk (an empty Request is Health)"
check_grep '^skip ahead to 10: .*reply counter=1 code=0' "$OUT" "a client counter may skip ahead; the server's counts 0, 1, ..."
check_grep '^back to 5: .*refused\(3\)' "$OUT" "a counter below the last accepted: REFUSED(3)"
check_grep '^10 again: .*refused\(3\)' "$OUT" "the same counter again: REFUSED(3)"
check_grep '^payload of 15 bytes: refused\(4\) channel=as-sent counter=0' "$OUT" "DATA shorter than a tag on a live channel: REFUSED(4), not silence"
check_grep '^payload of 65536 bytes: refused\(4\)' "$OUT" "a last chunk shorter than a tag: REFUSED(4)"
check_grep '^16 bytes of random tag: refused\(4\)' "$OUT" "a chunk that fails its tag: REFUSED(4)"
check_grep '^11 after the refusals, no request id: .*reply counter=2 code=0' "$OUT" "refused frames spend no counter on either side"
check_grep '^counter 2\^52-1: .*refused\(4\)' "$OUT" "a frame counter above 2^52-2: REFUSED(4)"
check_grep '^two chunks: chunks=2 frame=70074 reply counter=3 code=0' "$OUT" "a two-chunk frame laid out as documented is accepted"
check_grep '^method n_methods: .*code=12 this server has no method number' "$OUT" "method index one past the service: UNIMPLEMENTED in a Reply"
check_grep '^method 100000: .*code=12' "$OUT" "a far method index: UNIMPLEMENTED"
check_grep '^Health body of 65 bytes: .*code=3 .*more than the 64 allowed' "$OUT" "a body over max_request: INVALID_ARGUMENT"
check_grep "^stale channel id: refused\(2\) channel=as-sent counter=0 text='unknown or expired channel: handshake again' textlen=43$" "$OUT" "REFUSED: channel echoed, counter 0, reason byte, text to the end without NUL"
check_grep '^welcome to server: refused\(1\) channel=as-sent' "$OUT" "a WELCOME sent to the server: REFUSED(1)"
check_grep '^hello of 33: refused\(1\) channel=0 counter=0' "$OUT" "a HELLO of the wrong size: REFUSED(1) on channel 0"
for what in '19 bytes' 'bad magic' 'version 2' 'type 5'; do
	check_grep "^$what: no answer" "$OUT" "no answer at all: $what"
done
check_grep '^token=32 bytes rebind_secret=32 bytes' "$OUT" "login gives a 32-byte token and rebind secret"
check_grep '^other channel, no proof: .*code=16' "$OUT" "a token on another channel without a proof: UNAUTHENTICATED"
check_grep '^other channel, proof for the first: .*code=16' "$OUT" "a proof made for another channel's hash: UNAUTHENTICATED"
check_grep '^other channel, its own proof: .*code=0' "$OUT" "HMAC-SHA256(secret, label || h) moves the session"

# --- a token is bound to its channel
TOKEN=$("$WIRE" token "$T"/config-admin/pmif/session-*.state)
check_exit 0 "stolen token run" -- "$WIRE" stolen "$PMIF_SERVER" "$FP" "$TOKEN"
check_grep 'code=16 .*another connection' "$OUT" "token refused on another channel"
check_exit 0 "owner's session still fine" -- as admin whoami

# --- brute force: at most 10 password checks, then the owner gets in
printf 'brute victim pw 1\n' | as admin admin user add victim --role member --password-stdin >/dev/null
audit_before=$(audit_count)
check_exit 0 "1000 wrong passwords" -- "$WIRE" bruteforce "$PMIF_SERVER" "$FP" victim 1000
checked=$(printf '%s' "$OUT" | sed -n 's/^checked=\([0-9]*\).*/\1/p')
echo "# $OUT"
[ "${checked:-99}" -le 10 ] && [ "${checked:-0}" -ge 1 ] && ok "at most 10 password checks ($checked)" || not_ok "$checked password checks"
check_grep 'other=0' "$OUT" "every attempt refused as wrong or throttled"
[ "$(audit_count)" -ge $((audit_before + 1000)) ] && ok "every failure audited" || not_ok "audit grew by only $(( $(audit_count) - audit_before ))"
throttled=$(printf '%s' "$OUT" | sed -n 's/.*throttled=\([0-9]*\).*/\1/p')
[ "${throttled:-0}" -ge 900 ] && ok "the rest were refused without a check ($throttled)" || not_ok "only $throttled throttled"
waited=0
until login_as victim 'brute victim pw 1' 2>/dev/null; do
	sleep 2; waited=$((waited + 2))
	[ $waited -gt 120 ] && break
done
[ $waited -le 120 ] && ok "the owner logs in once the backoff expires (after ${waited}s)" || not_ok "owner still locked out"

finish
