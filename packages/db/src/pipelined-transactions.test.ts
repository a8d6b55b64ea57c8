import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "./client";
import { sendAhead } from "./pipelined-transactions";

// One pooled connection, so every transaction below runs on the connection the one before left.
const db = createDb({ connectionString: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres", max: 1 });
const table = sql.table(`pipelined_transactions_${randomBytes(4).toString("hex")}`);
const values = async () => (await sql<{ x: number }>`select x from ${table} order by x`.execute(db)).rows.map((r) => r.x);

beforeAll(() => sql`create table ${table} (x int primary key)`.execute(db));
afterAll(async () => {
  await sql`drop table if exists ${table}`.execute(db);
  await db.destroy();
});

describe("transactions whose BEGIN goes out with their first statement", () => {
  it("commit what they wrote, and a thrown error rolls all of it back", async () => {
    await db.transaction().execute(async (trx) => {
      await sql`insert into ${table} values (1)`.execute(trx);
      await sql`insert into ${table} values (2)`.execute(trx);
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`insert into ${table} values (3)`.execute(trx);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await values()).toEqual([1, 2]);
  });

  it("run the first statement inside the transaction, even when it fails", async () => {
    // Were the first statement sent outside the transaction, the insert would stay.
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`insert into ${table} values (10)`.execute(trx);
        await sql`insert into ${table} values (1)`.execute(trx); // duplicate key
      }),
    ).rejects.toThrow(/duplicate key/);
    // A first statement that fails leaves the connection usable for the next transaction.
    await expect(db.transaction().execute((trx) => sql`selec 1`.execute(trx))).rejects.toThrow(/syntax error/);
    await db.transaction().execute((trx) => sql`insert into ${table} values (5)`.execute(trx));
    await sql`delete from ${table} where x = 5`.execute(db);
    expect(await values()).toEqual([1, 2]);
  });

  it("keep an isolation level, and leave the connection clean for the next one", async () => {
    const level = await db
      .transaction()
      .setIsolationLevel("serializable")
      .execute(
        async (trx) => (await sql<{ level: string }>`select current_setting('transaction_isolation') as level`.execute(trx)).rows[0],
      );
    expect(level).toEqual({ level: "serializable" });
    // A transaction that wrote nothing and one that only read: the next statement is outside any.
    await db.transaction().execute(async () => {});
    const { rows } = await sql<{ status: string }>`select current_setting('transaction_isolation') as status`.execute(db);
    expect(rows[0]).toEqual({ status: "read committed" });
  });
});

describe("statements sent ahead", () => {
  const insert = (x: number) => sql<{ x: number }>`insert into ${table} values (${x}) returning x`;

  it("run before the statements behind them", async () => {
    const seen = await db.transaction().execute(async (trx) => {
      await sendAhead(trx, sql`select set_config('canopy.ahead', 'yes', true)`);
      await sendAhead(trx, insert(60));
      return (
        await sql<{ x: number; ahead: string }>`select x, current_setting('canopy.ahead') as ahead from ${table} where x = 60`.execute(trx)
      ).rows;
    });
    expect(seen).toEqual([{ x: 60, ahead: "yes" }]);
    await sql`delete from ${table} where x = 60`.execute(db);
  });

  it("are committed, and their answers are read after the transaction", async () => {
    const answers = await db.transaction().execute(async (trx) => {
      await sql`insert into ${table} values (20)`.execute(trx);
      const first = await sendAhead(trx, insert(21));
      const second = await sendAhead(trx, insert(22));
      return [first.answer, second.answer];
    });
    expect(await Promise.all(answers)).toEqual([[{ x: 21 }], [{ x: 22 }]]);
    expect(await values()).toEqual([1, 2, 20, 21, 22]);
    await sql`delete from ${table} where x >= 20`.execute(db);
  });

  it("fail the whole transaction with their own error when one fails, and commit nothing", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await sendAhead(trx, insert(30)); // the first statement: goes out behind BEGIN
        await sendAhead(trx, insert(1)); // duplicate key
        await sendAhead(trx, insert(31));
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await values()).toEqual([1, 2]);
    // The connection is clean for the next transaction.
    await db.transaction().execute((trx) => sql`insert into ${table} values (32)`.execute(trx));
    expect(await values()).toEqual([1, 2, 32]);
    await sql`delete from ${table} where x = 32`.execute(db);
  });

  it("are rolled back with the transaction, and a statement refused behind a failed one reports its cause", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await sendAhead(trx, insert(40));
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await expect(
      db.transaction().execute(async (trx) => {
        await sendAhead(trx, insert(2)); // duplicate key
        await sql`insert into ${table} values (41)`.execute(trx); // refused: the transaction is aborted
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await values()).toEqual([1, 2]);
  });

  it("run as ordinary statements outside a transaction", async () => {
    const { answer } = await sendAhead(db, insert(50));
    expect(await answer).toEqual([{ x: 50 }]);
    expect(await values()).toEqual([1, 2, 50]);
    await sql`delete from ${table} where x = 50`.execute(db);
  });
});
