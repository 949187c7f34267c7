import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';

// Real PNG files made in the tests (no fixtures on disk): chunks with their CRCs,
// deflated scanlines, as a logo upload or an approval page would carry them.

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([head, body, crc]);
}

/** Encodes scanlines (each starting with its filter byte) as a PNG; colour type 2 = RGB, 6 = RGBA. */
function encode(width: number, height: number, colourType: 2 | 6, rows: Buffer[]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colourType;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A real RGBA PNG: a rounded green tile with a white "m" bar pattern, or random noise
 * (incompressible, to make a file as large as wanted).
 */
export function makePng(width: number, height: number, opts: { noise?: boolean } = {}): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 4);
    if (opts.noise) randomBytes(width * 4).copy(row, 1);
    else {
      for (let x = 0; x < width; x++) {
        const inside = Math.hypot(Math.max(0, Math.abs(x - width / 2) - width * 0.3), Math.max(0, Math.abs(y - height / 2) - height * 0.3)) < width * 0.18;
        const bar = y > height * 0.35 && y < height * 0.7 && [0.3, 0.5, 0.7].some((c) => Math.abs(x / width - c) < 0.05);
        const [r, g, b, a] = !inside ? [0, 0, 0, 0] : bar ? [255, 255, 255, 255] : [11, 110, 79, 255];
        row.set([r, g, b, a], 1 + x * 4);
      }
    }
    rows.push(row);
  }
  return encode(width, height, 6, rows);
}

/** A real RGB PNG of a size×size logo: a coloured disc with a white ring, drawn per pixel. */
export function logoPng(size = 96, rgb: [number, number, number] = [214, 69, 65]): Buffer {
  const rows: Buffer[] = [];
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3, 255);
    row[0] = 0; // filter byte
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c) / c;
      const inRing = d > 0.55 && d < 0.68;
      const [r, g, b] = d <= 0.92 && !inRing ? rgb : [255, 255, 255];
      row[1 + x * 3] = r;
      row[2 + x * 3] = g;
      row[3 + x * 3] = b;
    }
    rows.push(row);
  }
  return encode(size, size, 2, rows);
}
