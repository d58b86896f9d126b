// Draws media/icon.png, the extension's 128x128 icon: two process lanes (A above,
// B below) and the panic where their closes meet. No image library: each pixel is
// the average of 4x4 samples of the shapes below, written as a PNG with zlib.
// Run: node scripts/make-icon.js
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SIZE = 128;
const SAMPLES = 4;

const roundedRect = (x, y, w, h, r) => (px, py) => {
  const cx = Math.min(Math.max(px, x + r), x + w - r);
  const cy = Math.min(Math.max(py, y + r), y + h - r);
  return px >= x && px <= x + w && py >= y && py <= y + h && (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
};
const polygon = (points) => (px, py) => {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};
const dot = (x, y, r) => (px, py) => (px - x) ** 2 + (py - y) ** 2 <= r * r;

/** Back to front: [colour RGB, shape]. */
const shapes = [
  [[0x1f, 0x2a, 0x44], roundedRect(4, 4, 120, 120, 22)],
  [[0x4f, 0xa3, 0xf7], roundedRect(16, 32, 66, 16, 8)], // process A
  [[0xf2, 0xb2, 0x33], roundedRect(46, 80, 66, 16, 8)], // process B
  // the hand-over from A's close to B's: a dotted curve
  ...[[84, 44], [90, 52], [90, 61], [85, 69], [77, 75], [70, 81]].map(([x, y]) => [[0xe8, 0xed, 0xf5], dot(x, y, 2.6)]),
  [[0xef, 0x4b, 0x4b], polygon([[98, 10], [84, 38], [96, 38], [86, 62], [114, 28], [101, 28], [110, 10]])], // the panic
];

function pixel(x, y) {
  let r = 0, g = 0, b = 0, a = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const px = x + (sx + 0.5) / SAMPLES;
      const py = y + (sy + 0.5) / SAMPLES;
      let colour;
      for (const [c, inside] of shapes) if (inside(px, py)) colour = c;
      if (!colour) continue;
      r += colour[0]; g += colour[1]; b += colour[2]; a += 1;
    }
  }
  // Colour averaged over the covered samples; coverage is the alpha.
  return a ? [r / a, g / a, b / a, (255 * a) / SAMPLES ** 2].map(Math.round) : [0, 0, 0, 0];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const rows = [];
for (let y = 0; y < SIZE; y++) {
  const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0: none
  for (let x = 0; x < SIZE; x++) Buffer.from(pixel(x, y)).copy(row, 1 + x * 4);
  rows.push(row);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bits per channel
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(__dirname, '..', 'media', 'icon.png');
fs.writeFileSync(out, png);
console.log(`wrote ${path.relative(process.cwd(), out)} (${png.length} bytes)`);
