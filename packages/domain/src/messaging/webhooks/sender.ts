import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent, request } from "undici";
import { checkAddress } from "./address-guard";

/** What one HTTP attempt came to; `statusCode` is null when no response arrived. */
export interface AttemptResult {
  statusCode: number | null;
  durationMs: number;
  responseBody: string | null;
  retryAfter: string | undefined;
  error: string | null;
}

const RESPONSE_KEPT_BYTES = 1024;

class RefusedAddressError extends Error {
  readonly code = "EWEBHOOKADDRESS";
}

/**
 * Resolves like dns.lookup, then refuses the whole name if any address it stands for is not
 * allowed. The socket connects to exactly the addresses checked here, so a DNS answer that
 * changes between the check and the connection (rebinding) cannot reach an internal address.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      for (const a of addresses) {
        const verdict = checkAddress(a.address, { allowPrivate });
        if (!verdict.ok) return callback(new RefusedAddressError(`refused: ${hostname} resolves to ${verdict.reason}`), "", 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new RefusedAddressError(`${hostname} has no address`), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Sends webhook requests. One keep-alive agent per sender: connections to a receiver are reused
 * across deliveries, and every new connection goes through the address guard.
 */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(private readonly opts: { allowPrivateUrls: boolean; timeoutMs: number; connectionsPerOrigin?: number }) {
    this.agent = new Agent({
      connect: { lookup: guardedLookup(opts.allowPrivateUrls), timeout: Math.min(opts.timeoutMs, 10_000) },
      connections: opts.connectionsPerOrigin ?? 16,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    // A literal IP never passes through lookup, so it is checked here.
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    if (ipaddr.isValid(host)) {
      const verdict = checkAddress(host, { allowPrivate: this.opts.allowPrivateUrls });
      if (!verdict.ok)
        return { statusCode: null, durationMs: 0, responseBody: null, retryAfter: undefined, error: `refused: ${verdict.reason}` };
    }
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    try {
      // undici's request never follows redirects: a 3xx is an answer, and a failure (docs/webhooks.md).
      const response = await request(url, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "user-agent": "Canopy-Webhooks/1" },
        body,
        dispatcher: this.agent,
        signal,
      });
      const responseBody = await firstBytes(response.body, RESPONSE_KEPT_BYTES);
      const retryAfter = response.headers["retry-after"];
      return {
        statusCode: response.statusCode,
        durationMs: elapsed(),
        responseBody,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        error: null,
      };
    } catch (error) {
      const timedOut = signal.aborted;
      return {
        statusCode: null,
        durationMs: elapsed(),
        responseBody: null,
        retryAfter: undefined,
        error: timedOut ? `timed out after ${this.opts.timeoutMs} ms` : describe(error),
      };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Reads at most `limit` bytes of a response and drops the rest without downloading it. */
async function firstBytes(body: AsyncIterable<Buffer> & { destroy(): unknown }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return storable(Buffer.concat(chunks).subarray(0, limit).toString("utf8"));
}

/** Postgres text cannot hold NUL, and a receiver may answer anything. */
function storable(text: string): string {
  return text.replaceAll("\u0000", "\uFFFD");
}

function describe(error: unknown): string {
  const e = error as { message?: string; code?: string; cause?: { message?: string; code?: string } };
  const inner = e.cause?.message ?? e.message ?? String(error);
  const code = e.cause?.code ?? e.code;
  return storable(code && !inner.includes(code) ? `${code}: ${inner}` : inner);
}
