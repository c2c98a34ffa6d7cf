// JSON the way upstream's Python service writes it: ", " and ": " separators, non-ASCII
// escaped as \uXXXX and a final newline, so byte counts and clients' parsers see the same text.

const HAS_NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII = /[\u0080-\uffff]/g;

function escapeChar(c: string): string {
  return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

function write(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string': {
      const s = JSON.stringify(value);
      return HAS_NON_ASCII.test(s) ? s.replace(NON_ASCII, escapeChar) : s;
    }
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ', ' : '') + write(value[i]);
        return out + ']';
      }
      let out = '{';
      let first = true;
      for (const key in value as Record<string, unknown>) {
        const v = (value as Record<string, unknown>)[key];
        if (v === undefined) continue;
        out += (first ? '' : ', ') + write(key) + ': ' + write(v);
        first = false;
      }
      return out + '}';
    }
    default:
      return 'null';
  }
}

/** Serialises a response body. */
export function toJson(value: unknown): string {
  return write(value) + '\n';
}
