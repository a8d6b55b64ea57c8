import { type Db, sql } from "@canopy/db";

/**
 * Where an order's time goes on its way to its `subscription.activated` webhook, from the
 * database's own clocks (`now()` is each transaction's start): medians over every order of the
 * run, in ms. `relayed`: the order's transaction started → the relay's transaction that took
 * `order.created` started (the order's own transaction, its commit and NOTIFY, the wake);
 * `processing`: → provisioning's first transaction (the relay's transaction, the job added,
 * the in-process run started); `activated`: → the activation's transaction (the order moved, the
 * account and subscription read, the connector); `relayedAgain`: → the relay's transaction that
 * took `subscription.activated`; `attempted`: → the request started (the relay's transaction,
 * the delivery written, slot and claim); `request`: the request itself.
 */
export async function webhookStages(db: Db): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`
    with placed as (
      select data->>'id' as order_id, data->'items'->0->>'subscriptionId' as subscription_id, occurred_at, relayed_at
        from events where type = 'order.created'
    ), processing as (
      select data->>'id' as order_id, occurred_at from events where type = 'order.processing'
    ), activated as (
      select id, data->>'id' as subscription_id, occurred_at, relayed_at from events where type = 'subscription.activated'
    ), attempted as (
      select d.event_id, min(a.attempted_at) as attempted_at, min(a.duration_ms) as duration_ms
        from webhook_deliveries d join webhook_delivery_attempts a on a.delivery_id = d.id group by d.event_id
    ), stages as (
      select extract(epoch from p.relayed_at - p.occurred_at) * 1000 as relayed,
             extract(epoch from pr.occurred_at - p.relayed_at) * 1000 as processing,
             extract(epoch from ac.occurred_at - pr.occurred_at) * 1000 as activated,
             extract(epoch from ac.relayed_at - ac.occurred_at) * 1000 as relayed_again,
             extract(epoch from at.attempted_at - ac.relayed_at) * 1000 as attempted,
             at.duration_ms as request
        from placed p
        join processing pr using (order_id)
        join activated ac using (subscription_id)
        join attempted at on at.event_id = ac.id
    )
    select percentile_cont(0.5) within group (order by relayed) as "relayed",
           percentile_cont(0.5) within group (order by processing) as "processing",
           percentile_cont(0.5) within group (order by activated) as "activated",
           percentile_cont(0.5) within group (order by relayed_again) as "relayedAgain",
           percentile_cont(0.5) within group (order by attempted) as "attempted",
           percentile_cont(0.5) within group (order by request) as "request",
           count(*)::int as "orders"
      from stages`.execute(db);
  return rows[0] ?? {};
}
