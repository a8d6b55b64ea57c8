import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyWebhook, WebhookVerificationError } from "./webhooks";

const secret = `whsec_${randomBytes(32).toString("base64")}`;
const body = JSON.stringify({ type: "order.completed", timestamp: "2026-11-27T10:00:00.000Z", data: { id: "ord_1" } });

function signed(withSecret = secret, at = new Date()) {
  return {
    "webhook-id": "evt_1",
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(withSecret).sign("evt_1", at, body),
  };
}

describe("verifyWebhook", () => {
  it("accepts a genuine message, from plain, Node-style or fetch headers", () => {
    const expected = { id: "evt_1", type: "order.completed", timestamp: "2026-11-27T10:00:00.000Z", data: { id: "ord_1" } };
    expect(verifyWebhook({ secret, headers: signed(), body })).toEqual(expected);
    const upper = Object.fromEntries(Object.entries(signed()).map(([k, v]) => [k.toUpperCase(), [v]]));
    expect(verifyWebhook({ secret, headers: upper, body: Buffer.from(body) })).toEqual(expected);
    expect(verifyWebhook({ secret, headers: new Headers(signed()), body })).toEqual(expected);
  });

  it("refuses a changed body, another secret, an old timestamp and missing headers", () => {
    expect(() => verifyWebhook({ secret, headers: signed(), body: body.replace("ord_1", "ord_2") })).toThrow(WebhookVerificationError);
    const other = `whsec_${randomBytes(32).toString("base64")}`;
    expect(() => verifyWebhook({ secret: other, headers: signed(), body })).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook({ secret, headers: signed(secret, new Date(Date.now() - 10 * 60_000)), body })).toThrow(/too old/);
    expect(() => verifyWebhook({ secret, headers: {}, body })).toThrow(/Missing required headers/);
  });

  it("verifies with either secret during a rotation", () => {
    const next = `whsec_${randomBytes(32).toString("base64")}`;
    expect(verifyWebhook({ secret: [next, secret], headers: signed(secret), body }).id).toBe("evt_1");
    expect(verifyWebhook({ secret: [next, secret], headers: signed(next), body }).id).toBe("evt_1");
  });
});
