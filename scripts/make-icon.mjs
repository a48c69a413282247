#!/usr/bin/env node
// Draws build/icon.png (1024×1024), from which electron-builder makes the Linux, macOS and Windows
// icons: a white λ on an orange rounded square. `node scripts/make-icon.mjs [OUT.png]`.
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 1024;
const SAMPLES = 4; // per axis, for anti-aliased edges
const CORNER = 0.2;
const STROKE = 0.085;
// The λ as line segments in a unit square: the long stroke, the short leg, the top serif.
const STROKES = [
  [0.37, 0.2, 0.74, 0.8],
  [0.545, 0.485, 0.3, 0.8],
  [0.27, 0.2, 0.38, 0.2],
];
const TOP = [255, 168, 38];
const BOTTOM = [226, 84, 14];

function distanceToSegment(px, py, [ax, ay, bx, by]) {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function insideRoundedSquare(x, y) {
  const cx = Math.min(Math.max(x, CORNER), 1 - CORNER);
  const cy = Math.min(Math.max(y, CORNER), 1 - CORNER);
  return Math.hypot(x - cx, y - cy) <= CORNER;
}

/** RGBA of one pixel: coverage of the square and of the glyph, averaged over sub-samples. */
function pixel(px, py) {
  let square = 0;
  let glyph = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const x = (px + (sx + 0.5) / SAMPLES) / SIZE;
      const y = (py + (sy + 0.5) / SAMPLES) / SIZE;
      if (!insideRoundedSquare(x, y)) continue;
      square++;
      if (STROKES.some((s) => distanceToSegment(x, y, s) <= STROKE / 2)) glyph++;
    }
  }
  const total = SAMPLES * SAMPLES;
  const t = py / SIZE;
  const background = TOP.map((c, i) => c + (BOTTOM[i] - c) * t);
  const mix = square ? glyph / square : 0;
  const rgb = background.map((c) => Math.round(c + (255 - c) * mix));
  return [...rgb, Math.round((255 * square) / total)];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function drawIcon() {
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 4); // each row starts with filter type 0
    for (let x = 0; x < SIZE; x++) Buffer.from(pixel(x, y)).copy(rows, row + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const out = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../build/icon.png'));
writeFileSync(out, drawIcon());
console.log(`wrote ${out}`);
