/** The CLI's exit codes; documented in `orchest --help` and README. */
export const EXIT = {
  ok: 0,
  /** `check`: the person is not a member (absent, invited or deactivated). */
  notMember: 1,
  /** Usage, config or input error; nothing was sent to any service. */
  usage: 2,
  /** The service failed or refused, after retries. */
  service: 3,
} as const;

/** The exit code of an error's category: the person's input (2), or the service's side (3). */
export function exitCodeOf(category: 'input' | 'service'): 2 | 3 {
  return category === 'input' ? EXIT.usage : EXIT.service;
}
