/** Where a command reads and writes; tests pass buffers. */
export interface CommandIo {
  readonly stdout: { write(chunk: string): unknown; isTTY?: boolean };
  readonly stderr: { write(chunk: string): unknown; isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream;
}

export const processIo: CommandIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
};

/** Writes a line to stdout. */
export function say(io: CommandIo, line = ''): void {
  io.stdout.write(`${line}\n`);
}

/** Writes a line to stderr. */
export function warn(io: CommandIo, line: string): void {
  io.stderr.write(`${line}\n`);
}
