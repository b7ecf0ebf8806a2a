/**
 * Group commit for audit rows written outside a transaction (reads, searches, denials): the events
 * of all concurrent callers go in ONE multi-row INSERT. While one INSERT is in flight, new events
 * queue and leave together with the next, so under load the number of statements stays near one per
 * round trip, not one per request; alone, a caller waits for its single INSERT and nothing more.
 */
export class BatchWriter<T> {
  private queue: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private flushing = false;
  private scheduled = false;

  constructor(
    private readonly write: (items: readonly T[]) => Promise<void>,
    private readonly maxBatch = 500,
  ) {}

  /** Resolves when every item is durably written; rejects when their INSERT fails. */
  add(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    const all = items.map(
      (item) =>
        new Promise<void>((resolve, reject) => {
          this.queue.push({ item, resolve, reject });
        }),
    );
    this.schedule();
    return Promise.all(all).then(() => undefined);
  }

  /** Resolves once everything queued so far has been written (or failed). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing || this.scheduled) await new Promise((r) => setImmediate(r));
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    // One macrotask of delay gathers the events of requests handled in the same turn of the loop.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, this.maxBatch);
        this.queue = this.queue.slice(batch.length);
        try {
          await this.write(batch.map((b) => b.item));
          for (const b of batch) b.resolve();
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
