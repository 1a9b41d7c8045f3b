/**
 * True when an invitation GitHub answered a request with was created before that request was
 * sent. GitHub answers an invitation to an address that already has one with the pending
 * invitation, so its `created_at` tells a new invitation from one that was there before.
 *
 * Both times are GitHub's (the answer's `date` header) and whole seconds; an invitation made by
 * this request was created at most one round trip before the answer, so anything older than
 * that plus a second was there before. Without a `date` header the local clock stands in,
 * allowing a minute of skew.
 */
export function createdBeforeRequest(
  createdAt: string,
  answerDate: string | undefined,
  roundTripMs: number,
  localNow: number,
): boolean {
  const created = Date.parse(createdAt);
  if (Number.isNaN(created)) return false;
  const answered = answerDate === undefined ? Number.NaN : Date.parse(answerDate);
  const [now, slack] = Number.isNaN(answered) ? [localNow, 60_000] : [answered, 1_000];
  return created + slack + roundTripMs <= now;
}
