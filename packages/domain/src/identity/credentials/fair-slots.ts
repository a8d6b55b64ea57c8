import { DomainError } from "@canopy/domain/shared";

/**
 * Runs at most `limit` tasks at a time and, when they are all taken, hands the next free one to
 * the waiting clients in turn (round robin) rather than first come, first served: one client
 * with a hundred tasks queued delays another client's single task by at most one turn of each
 * client ahead of it. A client may have at most `queuePerClient` tasks waiting.
 */
export class FairSlots {
  private active = 0;
  /** Waiting tasks by client; the map's order is the order of turns. */
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(
    private readonly limit: number,
    private readonly queuePerClient: number,
  ) {}

  async run<T>(client: string, task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) {
      this.active++;
    } else {
      const queue = this.waiting.get(client) ?? [];
      if (queue.length >= this.queuePerClient) {
        throw new DomainError("TOO_MANY_REQUESTS", "too many password checks in progress from this client; try again shortly");
      }
      // release() hands its slot over: `active` stays counted for us.
      await new Promise<void>((resolve) => {
        queue.push(resolve);
        this.waiting.set(client, queue);
      });
    }
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Tasks running and waiting, for tests and metrics. */
  get load(): { active: number; waiting: number } {
    let waiting = 0;
    for (const queue of this.waiting.values()) waiting += queue.length;
    return { active: this.active, waiting };
  }

  private release(): void {
    const first = this.waiting.entries().next();
    if (first.done) {
      this.active--;
      return;
    }
    const [client, queue] = first.value;
    const next = queue.shift()!;
    // The client had its turn: to the back of the line, if it has more waiting.
    this.waiting.delete(client);
    if (queue.length > 0) this.waiting.set(client, queue);
    next();
  }
}
