import type { DeliveryJob } from "@canopy/domain/messaging";

/** What the lanes need from the webhook runtime: one attempt, or a hand-over to the queue. */
export interface FirstAttemptsDeps {
  /** Makes the attempt (slot, claim, POST, outcome); false if the endpoint had no free slot. */
  attempt(job: DeliveryJob): Promise<boolean>;
  /** Hands jobs to the delivery queue (a saturated endpoint, a full lane, an error, shutdown). */
  handOver(jobs: DeliveryJob[]): Promise<void>;
  onError(error: unknown): void;
}

interface Lane {
  jobs: DeliveryJob[];
  running: number;
}

/**
 * First attempts of the deliveries the relay just wrote, made in this process instead of
 * through a queued job each (a BullMQ job costs as much as the whole request to a fast
 * receiver). One lane per endpoint runs at most `perEndpoint` attempts at once, so a lane
 * never asks for a slot it cannot get, and a hanging receiver only stalls its own lane; at
 * most `concurrency` attempts in all. What does not fit (a lane or the process is full) goes
 * to the queue at once, so a backlog stays visible in the dashboard and shared between workers.
 * Nothing here is durable: the relay wrote each row with a `queued_until` of its own, so the
 * webhook sweep re-sends what a crash dropped.
 */
export class FirstAttempts {
  private readonly lanes = new Map<string, Lane>();
  private running = 0;
  private queued = 0;
  private stopped = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly deps: FirstAttemptsDeps,
    private readonly opts: { concurrency: number; perEndpoint: number; maxQueuedPerEndpoint: number; maxQueued: number },
  ) {}

  /** Takes what fits; returns the jobs it did not take (for the queue). */
  offer(jobs: DeliveryJob[]): DeliveryJob[] {
    if (this.stopped) return jobs;
    const rest: DeliveryJob[] = [];
    const touched = new Set<Lane>();
    for (const job of jobs) {
      let lane = this.lanes.get(job.endpointId);
      if (!lane) {
        lane = { jobs: [], running: 0 };
        this.lanes.set(job.endpointId, lane);
      }
      if (this.queued >= this.opts.maxQueued || lane.jobs.length >= this.opts.maxQueuedPerEndpoint) {
        rest.push(job);
        continue;
      }
      lane.jobs.push(job);
      this.queued++;
      touched.add(lane);
    }
    for (const [endpointId, lane] of this.lanes) if (touched.has(lane)) this.pump(endpointId, lane);
    return rest;
  }

  private pump(endpointId: string, lane: Lane) {
    while (lane.jobs.length > 0 && lane.running < this.opts.perEndpoint && this.running < this.opts.concurrency) {
      const job = lane.jobs.shift()!;
      this.queued--;
      lane.running++;
      this.running++;
      void this.run(job).finally(() => {
        lane.running--;
        this.running--;
        if (lane.jobs.length === 0 && lane.running === 0 && this.lanes.get(endpointId) === lane) this.lanes.delete(endpointId);
        this.next(endpointId, lane);
      });
    }
  }

  /** Its own lane first, then the others waiting for a free place in the process. */
  private next(endpointId: string, lane: Lane) {
    this.pump(endpointId, lane);
    if (this.running < this.opts.concurrency) for (const [id, other] of this.lanes) if (other.jobs.length > 0) this.pump(id, other);
    if (this.running === 0 && this.queued === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async run(job: DeliveryJob) {
    try {
      if (this.stopped || !(await this.deps.attempt(job))) await this.deps.handOver([job]);
    } catch (error) {
      this.deps.onError(error);
      // The claim decides who sends: a job for an attempt already made or in flight does nothing.
      await this.deps.handOver([job]).catch(this.deps.onError);
    }
  }

  /** Hands what waits to the queue and resolves once the attempts in flight are over. */
  async stop(): Promise<void> {
    this.stopped = true;
    const waiting = [...this.lanes.values()].flatMap((lane) => lane.jobs.splice(0));
    this.queued = 0;
    if (waiting.length > 0) await this.deps.handOver(waiting).catch(this.deps.onError);
    if (this.running > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}
