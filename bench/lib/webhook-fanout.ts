import type { Db } from "@canopy/db";
import { type Actor, bootstrapPlatform } from "@canopy/domain/identity";
import { webhookEndpoints, webhookSettings } from "@canopy/domain/messaging";
import { insertEvents, systemOrigin } from "@canopy/domain/shared";
import { startReceiver } from "./receiver";

/**
 * The provider of a fresh platform with `endpoints` webhook endpoints subscribed to every event,
 * each at a receiver of its own on 127.0.0.1 (one origin per endpoint, as when endpoints belong to
 * different customers: the sender keeps its connections per origin, so endpoints sharing one would
 * share them). Whatever delivers (a worker process) is started by the caller.
 */
export async function startWebhookFanout(db: Db, endpoints: number) {
  const receivers = await Promise.all(Array.from({ length: endpoints }, () => startReceiver()));
  const { providerId } = await bootstrapPlatform(db, {});
  const provider = await db.selectFrom("accounts").selectAll().where("id", "=", providerId).executeTakeFirstOrThrow();
  const actor: Actor = {
    kind: "apiKey",
    id: "key_bench",
    accountId: provider.id,
    accountPath: provider.path,
    accountType: "provider",
    role: "admin",
  };
  const settings = webhookSettings({ allowPrivateUrls: true });
  for (const receiver of receivers) await webhookEndpoints.createEndpoint(db, actor, settings, { url: receiver.url, eventTypes: [] });

  /** Commits `n` account.updated events, 500 to a transaction. */
  const emit = async (n: number) => {
    for (let i = 0; i < n; i += 500) {
      const batch = Array.from({ length: Math.min(500, n - i) }, (_, j) => ({
        type: "account.updated" as const,
        origin: systemOrigin("bench"),
        account: { id: provider.id, path: provider.path },
        data: { id: provider.id, name: `Provider ${i + j}` },
      }));
      await insertEvents(db, batch);
    }
  };

  return {
    /** Messages received so far, by all receivers. */
    received: () => receivers.reduce((n, r) => n + r.count, 0),
    /** Deliveries per second of `n` new events to every endpoint, from the first commit to the last arrival. */
    async deliveriesPerSecond(n: number): Promise<number> {
      const target = receivers.map((r) => r.count + n);
      const started = performance.now();
      await emit(n);
      await Promise.all(receivers.map((r, i) => r.reached(target[i]!)));
      return (n * endpoints) / ((performance.now() - started) / 1000);
    },
    close: () => Promise.all(receivers.map((r) => r.close())),
  };
}
