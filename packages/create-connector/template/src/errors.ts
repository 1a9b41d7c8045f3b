import {
  AuthenticationError,
  type FailedHttpAnswer,
  type OrchesterError,
  PermissionError,
} from '@orchester/core';

// The refusals that need the service's advice; every other status gets the kit's meaning
// (`errorForStatus`: 404 not found, 409 conflict, 429 rate-limited with its wait, 5xx transient).
export function failureOf(answer: FailedHttpAnswer): OrchesterError | undefined {
  const said = `${answer.doing}: ${answer.status} ${answer.message ?? ''}`.trim();
  const details = { details: { status: answer.status } };
  if (answer.status === 401)
    return new AuthenticationError(`${said}; check "token" in the instance's config`, details);
  if (answer.status === 403)
    return new PermissionError(`${said}; the token needs the Owner role in the group`, details);
  return undefined;
}
