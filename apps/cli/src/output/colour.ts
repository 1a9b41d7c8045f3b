/** What a piece of output says, which decides its colour. */
export type Tone = 'good' | 'bad' | 'warn' | 'dim';

/** Wraps text in the colour of its tone, or leaves it alone. */
export type Paint = (tone: Tone, text: string) => string;

const SGR: Record<Tone, readonly [number, number]> = {
  good: [32, 39],
  bad: [31, 39],
  warn: [33, 39],
  dim: [2, 22],
};

/** No colour: for pipes, files, `--json` and NO_COLOR. */
export const plain: Paint = (_tone, text) => text;

const coloured: Paint = (tone, text) => {
  const [on, off] = SGR[tone];
  return `\u001b[${on}m${text}\u001b[${off}m`;
};

/**
 * Whether output to `stream` is coloured: on a terminal, unless NO_COLOR is set to anything
 * (https://no-color.org) or TERM is dumb. FORCE_COLOR (1, 2, 3 or true) forces colour through a
 * pipe, FORCE_COLOR=0 turns it off; NO_COLOR wins over both.
 */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** The paint for output to `stream`. */
export function paintFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Paint {
  return wantsColour(stream, env) ? coloured : plain;
}
