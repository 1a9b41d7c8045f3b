/** A command line that cannot be run: unknown flag, missing argument. Exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  readonly code = 'ORCH_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
