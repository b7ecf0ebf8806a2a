// Draws Careline's app icons (a white cross on a teal rounded square) as PNG files without any
// image library: `node packages/web/scripts/make-icons.mjs`. The SVG icon is the same drawing.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const TEAL = [11, 95, 117];
const WHITE = [255, 255, 255];

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** maskable: full-bleed background, cross inside the 80 % safe zone. */
function icon(size, maskable) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const r = maskable ? 0 : size * 0.18;
  const arm = size * (maskable ? 0.13 : 0.16);
  const len = size * (maskable ? 0.27 : 0.32);
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const dx = Math.max(r - px, px - (size - r), 0);
      const dy = Math.max(r - py, py - (size - r), 0);
      const inside = r === 0 || dx * dx + dy * dy <= r * r;
      const cross = (Math.abs(px - c) <= arm && Math.abs(py - c) <= len) || (Math.abs(py - c) <= arm && Math.abs(px - c) <= len);
      const colour = cross ? WHITE : TEAL;
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = colour[0];
      raw[o + 1] = colour[1];
      raw[o + 2] = colour[2];
      raw[o + 3] = inside ? 255 : 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const dir = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', dir), icon(192, false));
writeFileSync(new URL('icon-512.png', dir), icon(512, false));
writeFileSync(new URL('icon-maskable-512.png', dir), icon(512, true));
writeFileSync(
  new URL('icon.svg', dir),
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" rx="18" fill="#0b5f75"/><path fill="#fff" d="M34 18h32v16h16v32H66v16H34V66H18V34h16z"/></svg>\n`,
);
