import { type Kysely, sql } from "kysely";

// Frozen in time: written against Kysely<any> so later type changes never rewrite history.
export async function up(db: Kysely<any>): Promise<void> {
  // Transactional outbox over the event log (docs/events.md). `seq` is taken from a sequence at insert,
  // so an event written after another transaction's commit (e.g. after waiting for its row
  // lock) always has a larger seq. `relayed_at`/`relay_seq` are set by the worker's relay when
  // it has pushed the event to Redis; `relay_seq` numbers events in the order they were relayed.
  await sql`alter table events add column seq bigserial not null`.execute(db);
  await sql`alter table events add column relayed_at timestamptz`.execute(db);
  await sql`alter table events add column relay_seq bigint`.execute(db);
  await sql`create sequence events_relay_seq`.execute(db);
  // Only the few unrelayed rows are indexed: the relay's scan stays tiny however long the log.
  await sql`create index events_unrelayed on events (seq) where relayed_at is null`.execute(db);
  await sql`create unique index events_relay_seq_key on events (relay_seq) where relay_seq is not null`.execute(db);

  // Wakes the relay when events commit (notifications are delivered at commit, never for a
  // rolled-back transaction). One notification per statement; Postgres also folds identical
  // notifications of one transaction into one.
  await sql`
    create function canopy_notify_events() returns trigger language plpgsql as $$
    begin
      perform pg_notify('canopy_events', '');
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger events_notify after insert on events
    for each statement execute function canopy_notify_events()`.execute(db);

  // The demo connector's simulated ISV application keeps its own durable idempotency store,
  // as a real ISV would: one row per (idempotency key, operation) it carried out, with the
  // number of calls it received for it. It outlives any worker process, so tests can prove
  // "provisioned exactly once" across a SIGKILL.
  await db.schema
    .createTable("demo_isv_calls")
    .addColumn("idempotency_key", "text", (c) => c.notNull())
    .addColumn("operation", "text", (c) => c.notNull())
    .addColumn("service_ref", "text", (c) => c.notNull())
    .addColumn("quantity", "integer")
    .addColumn("calls", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("first_called_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_called_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("demo_isv_calls_pkey", ["idempotency_key", "operation"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("demo_isv_calls").execute();
  await sql`drop trigger events_notify on events`.execute(db);
  await sql`drop function canopy_notify_events()`.execute(db);
  await sql`drop index events_relay_seq_key`.execute(db);
  await sql`drop index events_unrelayed`.execute(db);
  await sql`drop sequence events_relay_seq`.execute(db);
  await sql`alter table events drop column relay_seq, drop column relayed_at, drop column seq`.execute(db);
}
