import type { UploadedFile } from '../http/body.ts';

export type Receipt = { contentType: 'image/png' | 'image/jpeg'; data: Buffer };

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A receipt is judged by its bytes, not its name or declared type: a PNG or JPEG that came
 * whole (the upload limit cuts larger files). undefined: no file; null: not acceptable.
 */
export function readReceipt(file: UploadedFile | undefined): Receipt | null | undefined {
  if (!file || (file.data.length === 0 && !file.filename && !file.truncated)) return undefined;
  if (file.truncated || file.data.length < 16) return null;
  const d = file.data;
  if (d.subarray(0, 8).equals(PNG)) return { contentType: 'image/png', data: d };
  if (d[0] === 0xff && d[1] === 0xd8 && d[2] === 0xff && d[d.length - 2] === 0xff && d[d.length - 1] === 0xd9) return { contentType: 'image/jpeg', data: d };
  return null;
}
