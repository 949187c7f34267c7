import { crc32 } from 'node:zlib';

export const LOGO_MAX_BYTES = 256 * 1024;
export const LOGO_MAX_SIDE = 1024;

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Allowed bit depths per PNG colour type (PNG spec, table 11.1).
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

export type LogoCheck =
  | { ok: true; width: number; height: number }
  | { ok: false; key: 'apps.logo_not_png' | 'apps.logo_too_large' | 'apps.logo_dimensions'; params?: Record<string, number> };

/**
 * Judges a logo by its content, never by its name or declared type: the PNG signature,
 * an IHDR first with sane values, every chunk's CRC, image data, and IEND at the end.
 */
export function checkPngLogo(data: Buffer, truncated = false): LogoCheck {
  if (truncated || data.length > LOGO_MAX_BYTES) return { ok: false, key: 'apps.logo_too_large', params: { kb: LOGO_MAX_BYTES / 1024 } };
  if (data.length < 8 + 25 + 12 || !data.subarray(0, 8).equals(SIGNATURE)) return { ok: false, key: 'apps.logo_not_png' };
  let offset = 8;
  let width = 0;
  let height = 0;
  let sawData = false;
  for (let index = 0; offset + 12 <= data.length; index++) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (length > 0x7fffffff || end > data.length || !/^[A-Za-z]{4}$/.test(type)) return { ok: false, key: 'apps.logo_not_png' };
    const crc = data.readUInt32BE(offset + 8 + length);
    if (crc32(data.subarray(offset + 4, offset + 8 + length)) !== crc) return { ok: false, key: 'apps.logo_not_png' };
    if (index === 0) {
      if (type !== 'IHDR' || length !== 13) return { ok: false, key: 'apps.logo_not_png' };
      width = data.readUInt32BE(offset + 8);
      height = data.readUInt32BE(offset + 12);
      const depth = data[offset + 16];
      const colour = data[offset + 17];
      if (!DEPTHS[colour]?.includes(depth) || data[offset + 18] !== 0 || data[offset + 19] !== 0 || data[offset + 20] > 1) {
        return { ok: false, key: 'apps.logo_not_png' };
      }
    } else if (type === 'IHDR') return { ok: false, key: 'apps.logo_not_png' };
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') {
      if (!sawData || end !== data.length) return { ok: false, key: 'apps.logo_not_png' };
      if (width < 1 || height < 1 || width > LOGO_MAX_SIDE || height > LOGO_MAX_SIDE) {
        return { ok: false, key: 'apps.logo_dimensions', params: { max: LOGO_MAX_SIDE } };
      }
      return { ok: true, width, height };
    }
    offset = end;
  }
  return { ok: false, key: 'apps.logo_not_png' };
}
