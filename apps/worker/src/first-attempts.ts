import { randomBytes } from "node:crypto";
import type { DeliveryJob } from "@canopy/domain/messaging";
import type { SlotAnswer } from "./endpoint-slots";

/** A claimed attempt on its way: `sent` resolves when its request is over, `done` once its outcome is recorded. */
export interface AttemptInFlight {
  sent: Promise<void>;
  done: Promise<void>;
}

/** What the lanes need from the webhook runtime. */
export interface FirstAttemptsDeps<C> {
  /** Takes one of the endpoint's fairness slots for `holder` (see EndpointSlots). */
  acquire(endpointId: string, holder: string): Promise<SlotAnswer>;
  /** A held slot starts its next request now (for its lease and the busy clock); not waited for. */
  renew(endpointId: string, holder: string): void;
  /** Gives a held slot back; not waited for. */
  release(endpointId: string, holder: string): void;
  /** Starts claiming an attempt (shared statements: see DeliveryLog). */
  claim(job: DeliveryJob): Promise<C>;
  /** Makes the claimed attempt (under a slot the caller holds) and records its outcome. */
  attempt(job: DeliveryJob, claimed: Promise<C>): AttemptInFlight;
  /** Hands jobs to the delivery queue, at once or after `delayMs` (an endpoint other processes fill). */
  handOver(jobs: DeliveryJob[], delayMs?: number): Promise<void>;
  /** How long to wait before trying an endpoint that was full for `busyForMs`. */
  postponeMs(busyForMs: number): number;
  onError(error: unknown): void;
}

/**
 * A sender's place on an endpoint's lane, taken ahead of a transaction that writes a delivery to
 * it (provisioning), with the endpoint's slot asked for at once: the delivery can then be written
 * claimed (see `fanOutWithCommit`) and sent as soon as the transaction commits, without waiting
 * for a slot or a claim after it.
 */
export interface Reservation<C> {
  /** True once the slot is held; the transaction claims its delivery only then. */
  readonly granted: boolean;
  /** The transaction committed with `job` claimed for this holder: sent now, then the lane is worked. */
  start(job: DeliveryJob, claimed: Promise<C>): void;
  /** Not used (the slot came too late, or the transaction failed): slot and place are given back. */
  cancel(): void;
}

interface Lane {
  jobs: DeliveryJob[];
  /** Senders working on this lane, and those of them holding one of the endpoint's slots. */
  senders: number;
  holding: number;
}

/**
 * First attempts of the deliveries the relay just wrote, made in this process instead of
 * through a queued job each (a BullMQ job costs as much as the whole request to a fast
 * receiver).
 *
 * One lane per endpoint, worked by at most `perEndpoint` senders. A sender takes one of the
 * endpoint's fairness slots once and keeps it while its lane has work, sending the lane's
 * deliveries back to back: a Redis round trip per lane burst instead of two per delivery. It
 * claims the next delivery while the current request is in flight, and moves on as soon as a
 * request is answered, leaving the outcome to be recorded behind it (claims and outcomes of
 * concurrent attempts share their statements). So under load a sender's time per delivery is
 * the request itself.
 *
 * A hanging receiver stalls only its own lane; at most `concurrency` senders in all. What does
 * not fit (a lane or the process is full) goes to the queue at once, so a backlog stays visible
 * in the dashboard and shared between workers; a lane whose endpoint other processes fill waits
 * for a slot (up to `waitForSlotMs`), then goes to the queue postponed. Nothing here is durable: the relay wrote each row with a
 * `queued_until` of its own, so the webhook sweep re-sends what a crash dropped.
 */
export class FirstAttempts<C> {
  private readonly lanes = new Map<string, Lane>();
  private senders = 0;
  private queued = 0;
  private stopped = false;
  /** Outcomes still being recorded, and senders running: what `stop` waits for. */
  private readonly pending = new Set<Promise<void>>();
  private readonly holderPrefix = `first-${randomBytes(6).toString("hex")}`;
  private holders = 0;

  constructor(
    private readonly deps: FirstAttemptsDeps<C>,
    private readonly opts: {
      concurrency: number;
      perEndpoint: number;
      maxQueuedPerEndpoint: number;
      maxQueued: number;
      /** Outcomes being recorded at most; beyond it senders wait for theirs (back-pressure on Postgres). */
      maxRecording?: number;
      /** How long a lane waits for a slot other workers hold before it goes to the queue (default 5 s). */
      waitForSlotMs?: number;
    },
  ) {}

  /** Deliveries waiting in the lanes, and senders at work: for the worker's metrics. */
  get depth(): { waiting: number; sending: number } {
    return { waiting: this.queued, sending: this.senders };
  }

  /** Takes what fits; returns the jobs it did not take (for the queue). */
  offer(jobs: DeliveryJob[]): DeliveryJob[] {
    if (this.stopped) return jobs;
    const rest: DeliveryJob[] = [];
    const touched = new Map<string, Lane>();
    for (const job of jobs) {
      const lane = this.laneOf(job.endpointId);
      if (this.queued >= this.opts.maxQueued || lane.jobs.length >= this.opts.maxQueuedPerEndpoint) {
        rest.push(job);
        continue;
      }
      lane.jobs.push(job);
      this.queued++;
      touched.set(job.endpointId, lane);
    }
    for (const [endpointId, lane] of touched) this.staff(endpointId, lane);
    return rest;
  }

  private laneOf(endpointId: string): Lane {
    let lane = this.lanes.get(endpointId);
    if (!lane) {
      lane = { jobs: [], senders: 0, holding: 0 };
      this.lanes.set(endpointId, lane);
    }
    return lane;
  }

  /** Whether another sender fits: the endpoint's limit and the process's. */
  private hasRoom(lane: Pick<Lane, "senders">): boolean {
    return lane.senders < this.opts.perEndpoint && this.senders < this.opts.concurrency;
  }

  private newHolder(): string {
    return `${this.holderPrefix}:${++this.holders}`;
  }

  /** Starts senders on a lane: one per waiting job, up to the endpoint's and the process's limits. */
  private staff(endpointId: string, lane: Lane) {
    while (lane.jobs.length > lane.senders && this.hasRoom(lane)) {
      lane.senders++;
      this.senders++;
      this.track(this.work(endpointId, lane).finally(() => this.leave(endpointId, lane)));
    }
  }

  /** A sender is done: its place in the lane and the process is free. */
  private leave(endpointId: string, lane: Lane) {
    lane.senders--;
    this.senders--;
    if (lane.jobs.length === 0 && lane.senders === 0 && this.lanes.get(endpointId) === lane) this.lanes.delete(endpointId);
    // A place in the process is free: lanes left waiting for one get it.
    for (const [id, other] of this.lanes) if (other.jobs.length > other.senders) this.staff(id, other);
  }

  /**
   * Takes a sender's place on the endpoint's lane and asks for its slot now (see Reservation).
   * Undefined when the lane or the process is full, or the lanes are stopping: the transaction
   * then writes its delivery unclaimed, for `offer` or the queue.
   */
  reserve(endpointId: string): Reservation<C> | undefined {
    if (this.stopped || !this.hasRoom(this.lanes.get(endpointId) ?? { senders: 0 })) return undefined;
    const lane = this.laneOf(endpointId);
    lane.senders++;
    this.senders++;
    const holder = this.newHolder();
    let granted = false;
    let over = false;
    const answer = this.deps.acquire(endpointId, holder).then(
      (a) => {
        granted = a.granted;
        return granted;
      },
      (error: unknown) => {
        this.deps.onError(error);
        return false;
      },
    );
    return {
      get granted() {
        return granted;
      },
      start: (job, claimed) => {
        if (over) return;
        over = true;
        lane.holding++;
        this.track(this.work(endpointId, lane, { holder, next: { job, claimed } }).finally(() => this.leave(endpointId, lane)));
      },
      cancel: () => {
        if (over) return;
        over = true;
        void answer.then((ok) => ok && this.deps.release(endpointId, holder));
        this.leave(endpointId, lane);
      },
    };
  }

  /**
   * One sender: a slot, then the lane's deliveries back to back while there are any. A reserved
   * sender starts with its slot held and its first delivery claimed.
   */
  private async work(endpointId: string, lane: Lane, reserved?: { holder: string; next: { job: DeliveryJob; claimed: Promise<C> } }) {
    const holder = reserved?.holder ?? this.newHolder();
    let held = reserved !== undefined;
    let refusedSince: number | undefined;
    // Claimed ahead, while the previous request was in flight: this sender sends it.
    let next: { job: DeliveryJob; claimed: Promise<C> } | undefined = reserved?.next;
    try {
      while (!this.stopped || next) {
        let current = next;
        next = undefined;
        if (!current) {
          const job = this.take(lane);
          if (!job) break;
          // No claim before the slot: a job handed to the queue must still be claimable there.
          if (!held) {
            const answer = await this.deps.acquire(endpointId, holder).catch((error: unknown) => {
              // Redis is unreachable: the queue will not take the jobs either, but the sweep
              // re-sends their rows once their time in this process is over.
              this.deps.onError(error);
              return { granted: false as const, busyForMs: 0, unreachable: true };
            });
            if (!answer.granted) {
              // Another worker's requests fill the endpoint: wait for them here a while (the rows
              // stay this process's), then leave the lane to the queue, postponed.
              refusedSince ??= Date.now();
              const waitMs = this.deps.postponeMs(answer.busyForMs);
              const unreachable = "unreachable" in answer;
              if (!unreachable && !this.stopped && Date.now() + waitMs - refusedSince <= (this.opts.waitForSlotMs ?? 5_000)) {
                lane.jobs.unshift(job);
                this.queued++;
                await new Promise((resolve) => setTimeout(resolve, waitMs));
                continue;
              }
              await this.refused(lane, job, answer.busyForMs);
              return;
            }
            refusedSince = undefined;
            held = true;
            lane.holding++;
          } else this.deps.renew(endpointId, holder);
          current = { job, claimed: this.claim(job) };
        } else this.deps.renew(endpointId, holder);
        const { job } = current;
        const inFlight = this.deps.attempt(job, current.claimed);
        this.track(inFlight.done.catch((error) => this.failed(job, error)));
        // The next claim's round trip overlaps this request.
        if (!this.stopped) {
          const following = this.take(lane);
          if (following) next = { job: following, claimed: this.claim(following) };
        }
        await inFlight.sent.catch(() => {}); // a failure is handled by `failed`
        if (this.recording() > (this.opts.maxRecording ?? this.opts.concurrency * 4)) await inFlight.done.catch(() => {});
      }
    } finally {
      if (held) {
        lane.holding--;
        this.deps.release(endpointId, holder);
      }
    }
  }

  private take(lane: Lane): DeliveryJob | undefined {
    const job = lane.jobs.shift();
    if (job) this.queued--;
    return job;
  }

  private claim(job: DeliveryJob): Promise<C> {
    const claimed = this.deps.claim(job);
    claimed.catch(() => {}); // awaited by the attempt; its failure surfaces there
    return claimed;
  }

  /**
   * The endpoint's slots are all taken by other processes: this job and, unless another sender
   * of this lane holds a slot and carries on, the rest of the lane go to the queue postponed.
   */
  private async refused(lane: Lane, job: DeliveryJob, busyForMs: number) {
    const jobs = [job];
    if (lane.holding === 0) {
      jobs.push(...lane.jobs.splice(0));
      this.queued -= jobs.length - 1;
    }
    await this.deps.handOver(jobs, this.deps.postponeMs(busyForMs)).catch(this.deps.onError);
  }

  private async failed(job: DeliveryJob, error: unknown) {
    this.deps.onError(error);
    // The claim decides who sends: a job for an attempt already made or in flight does nothing.
    await this.deps.handOver([job]).catch(this.deps.onError);
  }

  private track(work: Promise<void>) {
    const settled = work.catch(this.deps.onError);
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
  }

  private recording(): number {
    return this.pending.size - this.senders;
  }

  /** Hands what waits to the queue and resolves once the attempts in flight are over and recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    const waiting = [...this.lanes.values()].flatMap((lane) => lane.jobs.splice(0));
    this.queued = 0;
    if (waiting.length > 0) await this.deps.handOver(waiting).catch(this.deps.onError);
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
