/**
 * Seed bytes to text. Only UTF-8 is accepted: a Latin-1 or Windows-1252 file is rejected rather than guessed at,
 * because a wrong guess would put altered characters inside quotes people cite.
 */
export type Decoded = { ok: true; text: string } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decodeSeed(bytes: Uint8Array): Decoded {
  if (bytes.length === 0) return { ok: false, reason: 'fichier vide' };
  if (bytes.includes(0)) return { ok: false, reason: 'fichier binaire (octets nuls)' };
  let text: string;
  try {
    // With ignoreBOM false, the decoder drops a leading BOM itself.
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'encodage non UTF-8 (enregistrez le fichier en UTF-8)' };
  }
  if (text.trim().length === 0) return { ok: false, reason: 'fichier vide' };
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
  }
  if (control > 0 && control / text.length > 0.001)
    return { ok: false, reason: 'fichier binaire (caractères de contrôle)' };
  return { ok: true, text };
}
