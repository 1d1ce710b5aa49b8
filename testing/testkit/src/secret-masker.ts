/**
 * The runner's SecretMasker: every registered value, plus the encoded variants the runner derives from it (base64
 * at three byte offsets, JSON, URI and XML escapes, …), is replaced by `***`; overlapping hits merge into one.
 */

/** Uri.EscapeDataString: everything but RFC 3986 unreserved characters is percent-encoded. */
function uriDataEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** SecurityElement.Escape. */
function xmlDataEscape(value: string): string {
  const entities: Record<string, string> = { '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '&': '&amp;' };
  return value.replace(/[<>"'&]/g, (c) => entities[c]);
}

function base64Shifted(value: string, shift: number): string {
  const bytes = Buffer.from(value, 'utf8');
  return (bytes.length > shift ? bytes.subarray(shift) : bytes).toString('base64');
}

/** The value encoders the runner registers in HostContext (the PowerShell and command-line ones are left out). */
const VALUE_ENCODERS: ((value: string) => string)[] = [
  (v) => base64Shifted(v, 0),
  (v) => base64Shifted(v, 1),
  (v) => base64Shifted(v, 2),
  (v) => v.replace(/'/g, "''"),
  (v) => JSON.stringify(v).slice(1, -1),
  uriDataEscape,
  xmlDataEscape,
  (v) => (v.length > 8 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : ''),
];

export class SecretMasker {
  private readonly originals = new Set<string>();
  private readonly variants = new Set<string>();

  /** Registers a value and its encoded variants (an empty value is ignored, like the runner). */
  add(value: string): void {
    if (value === '' || this.originals.has(value)) return;
    this.originals.add(value);
    this.variants.add(value);
    for (const encode of VALUE_ENCODERS) {
      const variant = encode(value);
      if (variant !== '') this.variants.add(variant);
    }
  }

  mask(input: string): string {
    const hits: [start: number, end: number][] = [];
    for (const secret of this.variants) {
      for (let at = input.indexOf(secret); at >= 0; at = input.indexOf(secret, at + 1)) {
        hits.push([at, at + secret.length]);
      }
    }
    if (hits.length === 0) return input;
    hits.sort((a, b) => a[0] - b[0]);
    let masked = '';
    let copiedUpTo = 0;
    let [start, end] = hits[0];
    for (const [hitStart, hitEnd] of [...hits.slice(1), [Infinity, Infinity] as [number, number]]) {
      if (hitStart <= end) {
        end = Math.max(end, hitEnd);
        continue;
      }
      masked += `${input.slice(copiedUpTo, start)}***`;
      copiedUpTo = end;
      [start, end] = [hitStart, hitEnd];
    }
    return masked + input.slice(copiedUpTo);
  }
}
