import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "@canopy/db";
import {
  type Connector,
  type ConnectorOperation,
  type ConnectorRequest,
  type ConnectorResult,
  connectorOperations,
  ok,
  permanent,
  transient,
} from "./connector";
import { recordIsvCall } from "./demo-isv.repository";

export type DemoVerdict = "ok" | "transient" | "permanent";

export interface DemoConnectorOptions {
  /** Where the simulated ISV keeps its idempotency store (it outlives the worker process). */
  db: Db;
  latencyMs?: number;
  /** Share of calls failing before reaching the application (like a 503), 0..1. */
  transientFailureRate?: number;
  /** Share of calls refused by the application (like a 400), 0..1. */
  permanentFailureRate?: number;
  /** Decides a call's fate instead of the rates, for scripted scenarios in tests. */
  decide?: (operation: ConnectorOperation, request: ConnectorRequest) => DemoVerdict;
  random?: () => number;
}

/**
 * An in-process simulation of an ISV application (docs/orders.md), used by the start command, the
 * tests and the benchmarks. It behaves like a well-built real one: idempotent by key through
 * a durable store, with configurable latency and failures.
 */
export function createDemoConnector(options: DemoConnectorOptions): Connector {
  const { db, latencyMs = 0, transientFailureRate = 0, permanentFailureRate = 0, decide, random = Math.random } = options;

  const verdict = (operation: ConnectorOperation, request: ConnectorRequest): DemoVerdict => {
    if (decide) return decide(operation, request);
    const roll = random();
    if (roll < transientFailureRate) return "transient";
    if (roll < transientFailureRate + permanentFailureRate) return "permanent";
    return "ok";
  };

  const call = async (operation: ConnectorOperation, request: ConnectorRequest): Promise<ConnectorResult> => {
    if (latencyMs > 0) await sleep(latencyMs);
    const fate = verdict(operation, request);
    if (fate === "transient") return transient(`demo ISV: ${operation} temporarily unavailable (simulated 503)`);
    if (fate === "permanent") return permanent(`demo ISV: ${operation} of ${request.mpn} refused (simulated 400)`);
    if (operation !== "provision" && !request.serviceRef) {
      return permanent(`demo ISV: ${operation} needs the service reference of a provisioned service`);
    }
    try {
      const { serviceRef } = await recordIsvCall(db, {
        idempotencyKey: request.idempotencyKey,
        operation,
        serviceRef: request.serviceRef ?? `demo_${randomUUID()}`,
        quantity: operation === "provision" || operation === "changeQuantity" ? request.quantity : null,
      });
      return ok(serviceRef);
    } catch (error) {
      // The simulated application's own store being down is an outage like any other.
      return transient(`demo ISV: ${operation} failed: ${(error as Error).message}`);
    }
  };

  return Object.fromEntries([
    ["name", "demo"],
    ...connectorOperations.map((op) => [op, (request: ConnectorRequest) => call(op, request)]),
  ]) as Connector;
}
