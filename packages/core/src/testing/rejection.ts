/**
 * What a promise rejects with, for asserting on an error's code, message and fields; throws
 * when it resolves instead.
 */
export async function rejectionOf<E = Error & Record<string, unknown>>(
  promise: Promise<unknown>,
): Promise<E> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(value) ?? String(value)}`);
}
