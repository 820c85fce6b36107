/**
 * A GBK encoder built from the platform's own GBK decoder (ICU): every two-byte GBK code decoded once,
 * inverted into a table. Node has no GBK encoder, and Alipay's bills are GBK.
 */
let table: Map<string, Buffer> | null = null;

function buildTable(): Map<string, Buffer> {
  const decoder = new TextDecoder('gbk');
  const map = new Map<string, Buffer>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const bytes = Buffer.from([lead, trail]);
      const char = decoder.decode(bytes);
      if (char.length === 1 && char !== '\ufffd' && !map.has(char)) map.set(char, bytes);
    }
  }
  return map;
}

/** `replacement`: written for characters GBK lacks (none: such a character is an error). */
export function encodeGbk(text: string, replacement?: string): Buffer {
  table ??= buildTable();
  const parts: Buffer[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      parts.push(Buffer.from([code]));
      continue;
    }
    const bytes = table.get(char) ?? (replacement === undefined ? undefined : Buffer.from(replacement, 'ascii'));
    if (!bytes) throw new Error(`GBK cannot encode U+${code.toString(16).toUpperCase()}`);
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}
