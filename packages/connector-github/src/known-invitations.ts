/** How many invitation ids an instance remembers; the oldest are forgotten first. */
const REMEMBERED = 10_000;

/**
 * Ids of invitations this instance has seen pending (in a listing, or in an answer to its own
 * invitation). An invitation seen before a request was sent was there before that request:
 * GitHub answering the request with it means "already invited", whatever its age.
 */
export class KnownInvitations {
  private readonly ids = new Set<number>();

  remember(id: number): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > REMEMBERED) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }
}
