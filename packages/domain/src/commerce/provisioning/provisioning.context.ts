import type { Db } from "@canopy/db";
import { type EventType, systemOrigin, type WrittenEvent } from "@canopy/domain/shared";
import type { ConnectorRegistry } from "../connectors/registry";

/** Provisioning is the worker's own work, whoever placed the order: its events say `system:provisioning`. */
export const PROVISIONING = systemOrigin("provisioning");

export interface ProvisioningContext {
  connectors: ConnectorRegistry;
  /**
   * True on the job's last attempt: a transient failure then settles the outcome (the order
   * goes to `error`) instead of asking for a retry.
   */
  finalAttempt: boolean;
  /** Attempts made so far, for the error message of an order that ran out of them. */
  attempt?: number;
  /**
   * Told once the order is settled by this run (its move to completed or error committed),
   * never by a run that found it already settled: what counts orders exactly once when two
   * runs of the same order race (a first run in process and its queued copy).
   */
  onSettled?: (order: { type: string; outcome: "completed" | "error" }) => void;
  /**
   * Fans the events of an account's provisioning out to webhooks in the transactions that write
   * them, so that they go out a relay hop sooner: called once the order's account is known, it
   * reads who the events go to while the ISV is called. The relay still takes the events and
   * adds what is missing. Without it, their webhooks wait for the relay.
   */
  publisherFor?: (accountPath: string) => Promise<Publisher>;
}

/** See `ProvisioningContext.publisherFor`: one per run, for its account's events. */
export interface Publisher {
  /**
   * A transaction that will write events of `type` starts: the worker asks meanwhile for the
   * fairness slots of the endpoints they go to, so that their first attempts need neither a
   * slot nor a claim once it commits.
   */
  begin(type: EventType): Publication;
}

export interface Publication {
  /** In the transaction, once its events are written: their deliveries go out with its commit. */
  write(trx: Db, events: WrittenEvent[]): Promise<void>;
  /** The transaction is over: if it committed, the first attempts go out (not waited for). */
  end(committed: boolean): void;
}

/**
 * Thrown for a transient connector failure when attempts remain: the job is retried later with
 * backoff, and everything already carried out is recognised and skipped on the next run.
 */
export class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryLater";
  }
}
