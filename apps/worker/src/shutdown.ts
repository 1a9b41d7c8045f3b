/** One step of the worker's shutdown: what it closes, and how long it may take. */
export interface ShutdownStep {
  readonly name: string;
  /** How long the step may take; then `atDeadline` runs and the next step starts. */
  readonly deadlineMs: number;
  run(): Promise<unknown>;
  /** Cuts what the step left when its deadline passed first (its promise is not awaited again). */
  atDeadline?(): void;
}

/** How a step ended: within its deadline or not, and the error it failed with, if any. */
export interface StepEnd {
  readonly name: string;
  readonly finished: boolean;
  readonly error?: unknown;
}

/**
 * Runs the steps one after another, each for at most its deadline, so the whole shutdown takes
 * at most the sum of the deadlines. A step that fails does not stop the ones after it: each
 * closes something of its own.
 */
export async function runShutdown(
  steps: readonly ShutdownStep[],
  onEnd?: (end: StepEnd) => void,
): Promise<StepEnd[]> {
  const ends: StepEnd[] = [];
  for (const step of steps) {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<StepEnd>((resolve) => {
      timer = setTimeout(() => resolve({ name: step.name, finished: false }), step.deadlineMs);
    });
    const run = Promise.resolve()
      .then(() => step.run())
      .then(
        (): StepEnd => ({ name: step.name, finished: true }),
        (error: unknown): StepEnd => ({ name: step.name, finished: true, error }),
      );
    const end = await Promise.race([run, deadline]);
    clearTimeout(timer);
    if (!end.finished) step.atDeadline?.();
    ends.push(end);
    onEnd?.(end);
  }
  return ends;
}
