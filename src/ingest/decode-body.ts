import { MIMEType, TextDecoder } from 'node:util';

/** A Content-Type header, parsed; null when absent or malformed. */
export function parseContentType(header: string | undefined): { essence: string; charset: string | null } | null {
  if (!header) return null;
  try {
    const mime = new MIMEType(header);
    return { essence: mime.essence, charset: mime.params.get('charset') };
  } catch {
    return null;
  }
}

/** Where the HTML standard's prescan looks for a `<meta charset>`: the first 1024 bytes. */
const PRESCAN_BYTES = 1024;
const META_CHARSET = /<meta\s[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/iu;

/** The encoding a byte order mark names, if the body starts with one (it wins over any declaration). */
function bomEncoding(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return null;
}

function decoderFor(label: string | null): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label);
  } catch {
    return null; // an unknown label (RangeError): the next candidate decides
  }
}

/**
 * Decodes a page: byte order mark, then the header's charset, then (HTML only) a `<meta charset>` or
 * `<meta http-equiv="Content-Type">` in the first 1024 bytes, then UTF-8. Invalid bytes become U+FFFD.
 */
export function decodeBody(bytes: Uint8Array, headerCharset: string | null, html: boolean): string {
  const meta = html
    ? META_CHARSET.exec(Buffer.from(bytes.subarray(0, PRESCAN_BYTES)).toString('latin1'))?.[1]
    : undefined;
  const decoder =
    decoderFor(bomEncoding(bytes)) ?? decoderFor(headerCharset) ?? decoderFor(meta ?? null) ?? new TextDecoder();
  return decoder.decode(bytes);
}
