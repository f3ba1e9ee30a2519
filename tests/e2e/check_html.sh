#!/bin/bash
# check_html.sh - look at a rendered report the way a person would: draw it
# and check that something was drawn.
#
#   check_html.sh REPORT.html [SHOT.png]   headless Chromium screenshot;
#                                          fails on console errors and on any
#                                          reference outside the page
#   check_html.sh REPORT.pdf  [SHOT.png]   first page through pdftoppm
#
# Either way the PNG must not be blank: enough non-white pixels and more
# than a handful of distinct colours (decoded with the Python standard
# library only).  The PNG is kept at SHOT.png when given.  Exit 0 when the
# report looks drawn, 1 when not, 2 on usage; 77 (skip) when the viewer is
# not installed.
set -u

usage() {
	echo "usage: check_html.sh REPORT.html|REPORT.pdf [SHOT.png]" >&2
	exit 2
}
[ $# -ge 1 ] && [ $# -le 2 ] || usage
IN=$1
[ -f "$IN" ] || { echo "check_html: no such file: $IN" >&2; exit 2; }
TMP=$(mktemp -d /tmp/check-html.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
SHOT=${2:-$TMP/shot.png}
ABS=$(cd "$(dirname "$IN")" && pwd)/$(basename "$IN")

fail() {
	echo "check_html: FAIL: $*" >&2
	exit 1
}

case "$IN" in
*.html | *.htm)
	# Self-contained: nothing to fetch.  Only in-page links (#...) and data:
	# URIs may appear as src/href/url(); no @import, no <script src>.
	python3 - "$IN" <<'EOF_REFS' || fail "the page refers to something outside itself"
import re, sys
html = open(sys.argv[1], encoding="utf-8", errors="replace").read()
bad = []
for m in re.finditer(r"""\b(src|href|xlink:href|action|poster)\s*=\s*["']?([^"'\s>]*)""", html, re.I):
    if not (m.group(2).startswith("#") or m.group(2).startswith("data:")):
        bad.append(m.group(0))
for m in re.finditer(r"url\(\s*['\"]?([^)'\"]*)", html, re.I):
    if not (m.group(1).startswith("#") or m.group(1).startswith("data:")):
        bad.append(m.group(0))
bad += re.findall(r"@import[^;]*", html)
for b in bad[:10]:
    print("check_html: outside reference: %s" % b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF_REFS
	CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
	[ -n "$CHROME" ] || { echo "check_html: chromium is not installed: skipped" >&2; exit 77; }
	# --enable-logging=stderr puts console messages on stderr as
	# "CONSOLE(...)" / "ERROR:CONSOLE" lines; the page must have none.
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TMP/profile" --hide-scrollbars --enable-logging=stderr --v=0 \
		--screenshot="$SHOT" --window-size=1280,2000 "file://$ABS" \
		>"$TMP/out.log" 2>"$TMP/err.log"
	rc=$?
	[ $rc -eq 0 ] || { cat "$TMP/err.log" >&2; fail "chromium exited with status $rc"; }
	if grep -E "Uncaught|Console error|ERROR:CONSOLE|CONSOLE\(" "$TMP/err.log" >&2; then
		fail "the page logged console errors"
	fi
	# A self-contained page fetches nothing: no net:: failures either.
	if grep -E "net::ERR_" "$TMP/err.log" >&2; then
		fail "the page tried to fetch something"
	fi
	;;
*.pdf)
	command -v pdftoppm >/dev/null || { echo "check_html: pdftoppm is not installed: skipped" >&2; exit 77; }
	head -c 5 "$IN" | grep -q '^%PDF-' || fail "$IN does not start with %PDF-"
	pdftoppm -png -r 50 -f 1 -l 1 "$IN" "$TMP/page" 2>"$TMP/err.log" ||
		{ cat "$TMP/err.log" >&2; fail "pdftoppm could not draw the first page"; }
	PAGE=$(ls "$TMP"/page*.png 2>/dev/null | head -1)
	[ -n "$PAGE" ] || fail "pdftoppm drew nothing"
	cp "$PAGE" "$SHOT"
	;;
*) usage ;;
esac

[ -s "$SHOT" ] || fail "no screenshot was written"
python3 - "$SHOT" <<'EOF' || fail "the screenshot looks blank"
import struct, sys, zlib

def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("not a PNG")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or interlace or ctype not in (0, 2, 4, 6):
        raise SystemExit("unsupported PNG layout %r" % (hdr,))
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    raw, stride = zlib.decompress(idat), w * bpp
    prev, out, i = bytearray(stride), [], 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pr) & 255
        out.append(bytes(line))
        prev = line
    return w, h, bpp, out

w, h, bpp, rows = pixels(sys.argv[1])
colours, ink = set(), 0
for r in rows[::2]:
    for x in range(0, w * bpp, bpp * 2):
        px = tuple(r[x:x + min(bpp, 3)])
        colours.add(px)
        if min(px) < 235:
            ink += 1
sampled = ((h + 1) // 2) * ((w + 1) // 2)
share = ink / max(sampled, 1)
print("check_html: %dx%d, %d distinct colours, %.1f%% ink" % (w, h, len(colours), 100 * share))
sys.exit(0 if len(colours) >= 8 and share > 0.01 else 1)
EOF
echo "check_html: ok: $IN -> $SHOT"
