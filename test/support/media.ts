/** Small files whose first bytes carry the real signatures, for content-type checks. */

/** Returns a JPEG start (SOI + APP0 marker) padded to `size` bytes. */
export function jpegBytes(size = 2048): Buffer {
  const bytes = Buffer.alloc(size);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]).copy(bytes);
  return bytes;
}

/** Returns a PDF header and trailer around filler text. */
export function pdfBytes(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
}

/** Returns the start of a Linux ELF executable, padded. */
export function elfBytes(): Buffer {
  return Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(256)]);
}

/** Returns one simulator media entry with the bytes in base64. */
export function asMedia(bytes: Buffer, fileName: string, mimeType?: string) {
  return { fileName, data: bytes.toString('base64'), ...(mimeType ? { mimeType } : {}) };
}
