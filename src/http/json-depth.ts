// Refuses deeply nested JSON before it is parsed: one pass over the bytes as they arrive,
// counting open arrays and objects outside strings, so a body of brackets costs nothing.

/** Deeper than this, a body is refused; Wazo's own bodies nest three or four levels. */
export const MAX_JSON_NESTING = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Fed the body a chunk at a time; its state carries over chunk boundaries. */
export class NestingScan {
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly max = MAX_JSON_NESTING) {}

  /** False as soon as the text seen so far nests deeper than the maximum. */
  push(chunk: Uint8Array): boolean {
    let {depth, inString, escaped} = this;
    const max = this.max;
    let ok = true;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
      } else if (c === QUOTE) {
        inString = true;
      } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
        if (++depth > max) {
          ok = false;
          break;
        }
      } else if ((c === CLOSE_ARRAY || c === CLOSE_OBJECT) && depth > 0) {
        depth--;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return ok;
  }
}
