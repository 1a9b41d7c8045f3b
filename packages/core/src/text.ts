/** How much of any input a message quotes. */
export const QUOTE_LIMIT = 100;

// C0 and C1 control characters, DEL, and the line and paragraph separators: matching them is the point.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a message must escape
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Input as a message may show it: in double quotes, control characters (CR, LF, ESC...) escaped,
 * at most `limit` characters, the rest said as a count. Never more of what a person typed, or of
 * a file, than that.
 */
export function quote(value: unknown, limit = QUOTE_LIMIT): string {
  const text = String(value);
  const chars = Array.from(text);
  const shown = chars
    .slice(0, limit)
    .join('')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(CONTROL, (c) => {
      const code = c.charCodeAt(0);
      if (c === '\n') return '\\n';
      if (c === '\r') return '\\r';
      if (c === '\t') return '\\t';
      return code < 0x100
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u${code.toString(16).padStart(4, '0')}`;
    });
  const rest = chars.length - limit;
  return rest > 0 ? `"${shown}…" (${chars.length} characters)` : `"${shown}"`;
}
