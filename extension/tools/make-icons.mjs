// Draws the extension's icons (a clock face on a coin: time is money) as PNG files into
// extension/icons/. Run once when the design changes: `node extension/tools/make-icons.mjs`.
// Written without an image library so the repository needs no native dependency.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, pixel) {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    rows[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x += 1) {
      const [r, g, b, a] = pixel(x, y);
      rows.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

// Distance from point p to segment ab, all in unit coordinates (-1..1).
function segment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

function shade(u, v) {
  const r = Math.hypot(u, v);
  if (r > 0.96) return null;
  const hand = Math.min(segment(u, v, 0, 0, 0, -0.62), segment(u, v, 0, 0, 0.45, 0.2));
  if (hand < 0.09 || r < 0.12) return [255, 255, 255];
  if (r > 0.8) return [20, 95, 70];
  return [36, 138, 100];
}

for (const size of [16, 32, 48, 128]) {
  const samples = 4;
  const image = png(size, (x, y) => {
    let red = 0; let green = 0; let blue = 0; let hits = 0;
    for (let i = 0; i < samples; i += 1) {
      for (let j = 0; j < samples; j += 1) {
        const u = ((x + (i + 0.5) / samples) / size) * 2 - 1;
        const v = ((y + (j + 0.5) / samples) / size) * 2 - 1;
        const colour = shade(u, v);
        if (colour) { red += colour[0]; green += colour[1]; blue += colour[2]; hits += 1; }
      }
    }
    if (!hits) return [0, 0, 0, 0];
    return [Math.round(red / hits), Math.round(green / hits), Math.round(blue / hits), Math.round((255 * hits) / (samples * samples))];
  });
  writeFileSync(new URL(`../icons/icon-${size}.png`, import.meta.url), image);
}
