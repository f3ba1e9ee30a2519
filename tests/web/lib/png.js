// png.js - is a screenshot blank?  Decodes an 8-bit, non-interlaced PNG
// (what Chromium writes) with Node's zlib and counts what was drawn: the
// distinct colours and the share of "ink" (pixels darker than near-white).
// Mirrors tests/e2e/check_html.sh, which does the same in Python for the
// rendered report files.
'use strict';
const zlib = require('node:zlib');

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

// decode(buf) -> {width, height, bpp, rows: [Buffer]}; throws on a PNG
// layout it does not read (Chromium's screenshots are all 8-bit RGB(A)).
function decode(buf) {
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let pos = 8, hdr = null;
  const idat = [];
  while (pos + 8 <= buf.length) {
    const n = buf.readUInt32BE(pos);
    const kind = buf.toString('latin1', pos + 4, pos + 8);
    const body = buf.subarray(pos + 8, pos + 8 + n);
    if (kind === 'IHDR') {
      hdr = {width: body.readUInt32BE(0), height: body.readUInt32BE(4), depth: body[8],
             ctype: body[9], interlace: body[12]};
    } else if (kind === 'IDAT') {
      idat.push(body);
    } else if (kind === 'IEND') {
      break;
    }
    pos += 12 + n;
  }
  if (!hdr) throw new Error('PNG without IHDR');
  const bppOf = {0: 1, 2: 3, 4: 2, 6: 4};
  if (hdr.depth !== 8 || hdr.interlace || !(hdr.ctype in bppOf))
    throw new Error(`unsupported PNG layout ${JSON.stringify(hdr)}`);
  const bpp = bppOf[hdr.ctype], stride = hdr.width * bpp;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  if (raw.length < (stride + 1) * hdr.height) throw new Error('PNG data is short');
  const rows = [];
  let prev = Buffer.alloc(stride), i = 0;
  for (let y = 0; y < hdr.height; y++) {
    const filter = raw[i];
    const line = Buffer.from(raw.subarray(i + 1, i + 1 + stride));
    i += 1 + stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? line[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
      if (filter === 1) line[x] = (line[x] + a) & 255;
      else if (filter === 2) line[x] = (line[x] + b) & 255;
      else if (filter === 3) line[x] = (line[x] + ((a + b) >> 1)) & 255;
      else if (filter === 4) line[x] = (line[x] + paeth(a, b, c)) & 255;
      else if (filter !== 0) throw new Error(`bad PNG filter ${filter}`);
    }
    rows.push(line);
    prev = line;
  }
  return {width: hdr.width, height: hdr.height, bpp, rows};
}

// look(buf) -> {width, height, colours, ink}: colours is the number of
// distinct colours on every other pixel of every other row; ink the share
// (0..1) of those pixels with any channel below 235.
function look(buf) {
  const {width, height, bpp, rows} = decode(buf);
  const colours = new Set();
  let ink = 0, sampled = 0;
  const channels = Math.min(bpp, 3);
  for (let y = 0; y < height; y += 2) {
    const r = rows[y];
    for (let x = 0; x < width * bpp; x += bpp * 2) {
      let key = 0, min = 255;
      for (let k = 0; k < channels; k++) {
        key = key * 256 + r[x + k];
        min = Math.min(min, r[x + k]);
      }
      colours.add(key);
      if (min < 235) ink++;
      sampled++;
    }
  }
  return {width, height, colours: colours.size, ink: ink / Math.max(sampled, 1)};
}

// drawn(info): the rule check_html.sh uses for "not blank"
function drawn(info) {
  return info.colours >= 8 && info.ink > 0.01;
}

module.exports = {decode, look, drawn};
