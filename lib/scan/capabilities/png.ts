/**
 * A tiny solid-colour PNG made in code, for the vision check: 8-bit RGB, zlib "stored" (not
 * compressed) deflate blocks, CRC-32 per chunk, Adler-32 over the image data. An 8×8 image is
 * under 300 bytes, so compression would buy nothing.
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const x of bytes) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function chunk(type: string, data: Uint8Array): number[] {
  const typed = new Uint8Array([...new TextEncoder().encode(type), ...data]);
  return [...u32(data.length), ...typed, ...u32(crc32(typed))];
}

/** zlib stream of `raw` in stored blocks (at most 65,535 bytes each). */
function zlibStored(raw: Uint8Array): Uint8Array {
  const out: number[] = [0x78, 0x01];
  for (let i = 0; i === 0 || i < raw.length; i += 65_535) {
    const block = raw.subarray(i, Math.min(raw.length, i + 65_535));
    const last = i + 65_535 >= raw.length ? 1 : 0;
    out.push(last, block.length & 0xff, block.length >> 8);
    out.push(~block.length & 0xff, (~block.length >> 8) & 0xff);
    out.push(...block);
  }
  out.push(...u32(adler32(raw)));
  return new Uint8Array(out);
}

/** A `size`×`size` PNG of one colour. */
export function solidPng(rgb: readonly [number, number, number], size = 8): Uint8Array {
  if (!Number.isInteger(size) || size < 1 || size > 256) {
    throw new RangeError("size must be 1 to 256 pixels");
  }
  const row = [0, ...Array.from({ length: size }, () => [...rgb]).flat()]; // filter byte 0
  const raw = new Uint8Array(Array.from({ length: size }, () => row).flat());
  const ihdr = new Uint8Array([...u32(size), ...u32(size), 8, 2, 0, 0, 0]); // 8-bit RGB
  return new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...chunk("IHDR", ihdr),
    ...chunk("IDAT", zlibStored(raw)),
    ...chunk("IEND", new Uint8Array()),
  ]);
}

export function pngDataUrl(png: Uint8Array): string {
  let bin = "";
  for (const b of png) bin += String.fromCharCode(b);
  return `data:image/png;base64,${btoa(bin)}`;
}
