import type { ChangeAttempt } from '../contract.js';
import type { MembershipOutcome } from '../membership.js';

/**
 * A `ChangeAttempt` for calling a connector instance's `add`/`remove` directly in tests: it sends
 * each change at once and keeps the outcomes it was asked to send, in order.
 */
export function directAttempt(): ChangeAttempt & { readonly sent: MembershipOutcome[] } {
  const sent: MembershipOutcome[] = [];
  return {
    sent,
    change(outcome, send) {
      sent.push(outcome);
      return send();
    },
  };
}
