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
import { signIsvRequest } from "./isv-signature";

export interface HttpConnectorOptions {
  /** The ISV application's endpoint; HTTPS, or HTTP to a loopback host for local development. */
  url: string;
  /** Per-product shared secret that signs every request. */
  secret: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const SIGNATURE_HEADER = "canopy-signature";
export const TIMESTAMP_HEADER = "canopy-timestamp";
export const IDEMPOTENCY_HEADER = "idempotency-key";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Calls the ISV application over HTTPS: one signed POST per operation, carrying the
 * idempotency key both in the body and the `Idempotency-Key` header. Network errors, timeouts,
 * 408, 429 and 5xx are transient (worth a retry); any other answer that is not 2xx is permanent.
 */
export function createHttpConnector({ url, secret, timeoutMs = 10_000, fetch: doFetch = fetch }: HttpConnectorOptions): Connector {
  const target = new URL(url);
  if (target.protocol !== "https:" && !(target.protocol === "http:" && LOOPBACK.has(target.hostname))) {
    throw new Error(`ISV endpoint must be https (got ${target.protocol}//${target.host})`);
  }

  const call = async (operation: ConnectorOperation, request: ConnectorRequest): Promise<ConnectorResult> => {
    const body = JSON.stringify({ operation, ...request });
    const timestamp = String(Math.floor(Date.now() / 1000));
    let response: Response;
    try {
      response = await doFetch(target, {
        method: "POST",
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          "content-type": "application/json",
          [IDEMPOTENCY_HEADER]: request.idempotencyKey,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signIsvRequest(secret, timestamp, body),
        },
      });
    } catch (error) {
      const e = error as Error;
      const why = e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : ((e.cause as Error | undefined)?.message ?? e.message);
      return transient(`ISV ${operation} call failed: ${why}`);
    }
    const text = await response.text().catch(() => "");
    const detail = `ISV answered ${response.status} to ${operation}${text ? `: ${text.slice(0, 200)}` : ""}`;
    if (response.status >= 500 || response.status === 408 || response.status === 429) return transient(detail);
    if (!response.ok) return permanent(detail);
    let serviceRef = request.serviceRef ?? undefined;
    try {
      const parsed = text ? (JSON.parse(text) as { serviceRef?: unknown }) : {};
      if (typeof parsed.serviceRef === "string" && parsed.serviceRef) serviceRef = parsed.serviceRef;
    } catch {
      return permanent(`ISV answered ${operation} with a body that is not JSON`);
    }
    if (!serviceRef) return permanent(`ISV answered ${operation} without a serviceRef`);
    return ok(serviceRef);
  };

  return Object.fromEntries([
    ["name", "http"],
    ...connectorOperations.map((op) => [op, (request: ConnectorRequest) => call(op, request)]),
  ]) as Connector;
}
