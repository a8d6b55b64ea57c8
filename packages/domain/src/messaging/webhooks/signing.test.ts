import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signMessage } from "./signing";

describe("webhook signing", () => {
  it("reproduces the Standard Webhooks published known answer", () => {
    const headers = signMessage(
      ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      new Date(1614265330 * 1000),
      '{"test": 2432232314}',
    );
    expect(headers).toEqual({
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    });
  });

  it("issues whsec_ secrets of 32 random bytes, each different", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it("signs with both secrets during a rotation, and either one verifies", () => {
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify({ type: "order.created", timestamp: new Date().toISOString(), data: { id: "ord_1" } });
    const headers = signMessage([newSecret, oldSecret], "evt_1", new Date(), body);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(body, { ...headers })).toMatchObject({ type: "order.created" });
    expect(new Webhook(newSecret).verify(body, { ...headers })).toMatchObject({ type: "order.created" });
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow(/signature/);
  });
});
