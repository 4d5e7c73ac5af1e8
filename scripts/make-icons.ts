/**
 * make-icons — draws the extension's logo and the task icons as PNG files, in code (zlib only, no
 * image tools), so they can be regenerated and reviewed like any other change:
 * `npx tsx scripts/make-icons.ts` writes static/logo.png and static/tasks/<task>.png (128×128).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { deflateSync } from "node:zlib";

type Point = readonly [number, number];
type Rgb = readonly [number, number, number];
/** Whether a point (in a 128-unit square, y down) is inside the glyph. */
type Shape = (x: number, y: number) => boolean;

const size = 128;
const supersampling = 4;
const white: Rgb = [255, 255, 255];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG (8-bit RGBA, no interlace) from `width × height × 4` bytes, rows top to bottom. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, filter 0, no interlace
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rows.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));
const rect =
  (x0: number, y0: number, x1: number, y1: number): Shape =>
  (x, y) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;
const disc =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

function roundedSquare(inset: number, radius: number): Shape {
  const lo = inset + radius;
  const hi = size - inset - radius;
  return (x, y) => {
    const dx = Math.max(lo - x, 0, x - hi);
    const dy = Math.max(lo - y, 0, y - hi);
    return dx * dx + dy * dy <= radius * radius && x >= inset && x <= size - inset && y >= inset && y <= size - inset;
  };
}

function triangle(a: Point, b: Point, c: Point): Shape {
  const side = (p: Point, q: Point, x: number, y: number) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  return (x, y) => {
    const s1 = side(a, b, x, y);
    const s2 = side(b, c, x, y);
    const s3 = side(c, a, x, y);
    return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
  };
}

/** Ring between radii, over the clockwise arc from `from` to `to` degrees (0° = right, y down). */
function arc(cx: number, cy: number, inner: number, outer: number, from: number, to: number): Shape {
  return (x, y) => {
    const r = Math.hypot(x - cx, y - cy);
    const angle = ((Math.atan2(y - cy, x - cx) * 180) / Math.PI + 360) % 360;
    return r >= inner && r <= outer && angle >= from && angle <= to;
  };
}

/** Arrowhead at the clockwise end of an arc of radius `r`, pointing along the arc. */
function arcArrowhead(cx: number, cy: number, r: number, at: number, halfWidth: number, length: number): Shape {
  const t = (at * Math.PI) / 180;
  const base: Point = [cx + r * Math.cos(t), cy + r * Math.sin(t)];
  const normal: Point = [Math.cos(t), Math.sin(t)];
  const tangent: Point = [-Math.sin(t), Math.cos(t)];
  return triangle(
    [base[0] + normal[0] * halfWidth, base[1] + normal[1] * halfWidth],
    [base[0] - normal[0] * halfWidth, base[1] - normal[1] * halfWidth],
    [base[0] + tangent[0] * length, base[1] + tangent[1] * length],
  );
}

const sync: Shape = union(
  arc(64, 64, 27, 39, 200, 330),
  arcArrowhead(64, 64, 33, 330, 15, 17),
  arc(64, 64, 27, 39, 20, 150),
  arcArrowhead(64, 64, 33, 150, 15, 17),
  disc(64, 64, 7),
);

const tray: Shape = union(rect(30, 84, 98, 96), rect(30, 66, 42, 96), rect(86, 66, 98, 96));

const glyphs: Record<string, { colours: [Rgb, Rgb]; glyph: Shape }> = {
  logo: {
    colours: [
      [0, 120, 212],
      [0, 69, 128],
    ],
    glyph: sync,
  },
  // backup: the tenant's configuration comes down into the repository
  backup: {
    colours: [
      [0, 130, 150],
      [0, 82, 100],
    ],
    glyph: union(tray, rect(58, 26, 70, 56), triangle([44, 52], [84, 52], [64, 76])),
  },
  // plan: a list of changes
  plan: {
    colours: [
      [196, 120, 0],
      [140, 78, 0],
    ],
    glyph: union(
      disc(36, 40, 7),
      rect(50, 35, 98, 45),
      disc(36, 64, 7),
      rect(50, 59, 98, 69),
      disc(36, 88, 7),
      rect(50, 83, 86, 93),
    ),
  },
  // deploy: the approved plan goes up into the tenant
  deploy: {
    colours: [
      [16, 124, 16],
      [8, 80, 8],
    ],
    glyph: union(tray, rect(58, 46, 70, 78), triangle([42, 50], [86, 50], [64, 24])),
  },
};

function draw(colours: [Rgb, Rgb], glyph: Shape): Uint8Array {
  const tile = roundedSquare(2, 22);
  const pixels = new Uint8Array(size * size * 4);
  const n = supersampling * supersampling;
  for (let py = 0; py < size; py++) {
    const background = colours[0].map((c, i) => Math.round(c + ((colours[1][i] - c) * py) / (size - 1)));
    for (let px = 0; px < size; px++) {
      let inTile = 0;
      let inGlyph = 0;
      for (let s = 0; s < n; s++) {
        const x = px + ((s % supersampling) + 0.5) / supersampling;
        const y = py + (Math.floor(s / supersampling) + 0.5) / supersampling;
        if (tile(x, y)) {
          inTile++;
          if (glyph(x, y)) inGlyph++;
        }
      }
      const o = (py * size + px) * 4;
      const g = inTile ? inGlyph / inTile : 0;
      for (let i = 0; i < 3; i++) pixels[o + i] = Math.round(background[i] * (1 - g) + white[i] * g);
      pixels[o + 3] = Math.round((255 * inTile) / n);
    }
  }
  return pixels;
}

function main(): void {
  const root = join(__dirname, "..");
  for (const [name, { colours, glyph }] of Object.entries(glyphs)) {
    const file = join(root, "static", name === "logo" ? "logo.png" : `tasks/${name}.png`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, encodePng(size, size, draw(colours, glyph)));
    console.log(`wrote ${file}`);
  }
}

if (require.main === module) main();
