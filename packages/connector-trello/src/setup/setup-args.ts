import { InvalidInputError } from '@orchester/core';
import { EXPIRATIONS, type Expiration } from './authorize-url.js';

export interface SetupArgs {
  /** Print the token instead of writing it into the config file. */
  readonly print: boolean;
  /** Read a pasted token from stdin instead of running the browser flow. */
  readonly tokenStdin: boolean;
  readonly expiration: Expiration;
  readonly appName: string;
  /** Try to open a browser (else only print the address). */
  readonly open: boolean;
  /** How long to wait for the browser, in ms. */
  readonly waitMs: number;
}

export const SETUP_USAGE =
  'orchest generate trello [--print] [--token-stdin] [--expiration 1hour|1day|30days|never] [--name APP] [--no-open] [--timeout SECONDS]';

/** Parses the arguments after `orchest generate NAME`. */
export function parseSetupArgs(argv: readonly string[]): SetupArgs {
  const args = {
    print: false,
    tokenStdin: false,
    expiration: 'never' as Expiration,
    appName: 'orchester',
    open: true,
    waitMs: 300_000,
  };
  const rest = [...argv];
  const takeValue = (flag: string, inline: string | undefined): string => {
    const value = inline ?? rest.shift();
    if (value === undefined || value.startsWith('--'))
      throw new InvalidInputError(`${flag} needs a value; usage: ${SETUP_USAGE}`);
    return value;
  };
  while (rest.length > 0) {
    const arg = rest.shift() as string;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    switch (flag) {
      case '--print':
        args.print = true;
        break;
      case '--token-stdin':
        args.tokenStdin = true;
        break;
      case '--no-open':
        args.open = false;
        break;
      case '--expiration': {
        const value = takeValue(flag, inline);
        if (!(EXPIRATIONS as readonly string[]).includes(value)) {
          throw new InvalidInputError(
            `--expiration must be one of ${EXPIRATIONS.join(', ')} (got "${value}")`,
          );
        }
        args.expiration = value as Expiration;
        break;
      }
      case '--name': {
        const value = takeValue(flag, inline).trim();
        if (value.length === 0 || value.length > 64)
          throw new InvalidInputError('--name must be 1 to 64 characters');
        args.appName = value;
        break;
      }
      case '--timeout': {
        const value = Number(takeValue(flag, inline));
        if (!Number.isFinite(value) || value <= 0)
          throw new InvalidInputError('--timeout must be a number of seconds above 0');
        args.waitMs = value * 1000;
        break;
      }
      default:
        throw new InvalidInputError(`unknown argument "${arg}"; usage: ${SETUP_USAGE}`);
    }
  }
  return args;
}
