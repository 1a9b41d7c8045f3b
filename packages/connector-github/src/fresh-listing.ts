/**
 * One listing shared by everyone who asked before it started. A caller never gets a listing
 * that was already under way when it asked: what it reads was true after it began. Callers that
 * ask while a listing runs share the next one, which starts when that one ends.
 */
export class FreshListing<T> {
  private running: Promise<readonly T[]> | undefined;
  private queued: Promise<readonly T[]> | undefined;

  constructor(private readonly list: () => Promise<readonly T[]>) {}

  read(): Promise<readonly T[]> {
    if (this.queued) return this.queued;
    const running = this.running;
    if (!running) return this.start();
    const next = running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.queued = undefined;
        return this.start();
      });
    this.queued = next;
    return next;
  }

  private start(): Promise<readonly T[]> {
    const listing = this.list();
    this.running = listing;
    const done = () => {
      if (this.running === listing) this.running = undefined;
    };
    listing.then(done, done);
    return listing;
  }
}
