import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { createDb, type Db } from "./client";
import { migrations } from "./migrations/index";
import { migrateToLatest } from "./migrator";

const baseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
// The template is named after the migrations' source, so it is rebuilt only when they change.
const TEMPLATE = `canopy_tpl_${createHash("sha256")
  .update(
    Object.entries(migrations)
      .map(([name, m]) => name + String(m.up))
      .join("\n"),
  )
  .digest("hex")
  .slice(0, 16)}`;

function urlFor(database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor("postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Builds the migrated template database once per test run (vitest globalSetup), so each test
 * file can clone it in milliseconds instead of migrating its own.
 */
export async function prepareTemplateDatabase(): Promise<void> {
  await withAdmin(async (admin) => {
    // Several test runners may start at once: one builds the template, the others wait for it.
    await admin.query(`select pg_advisory_lock(7231)`);
    try {
      const found = await admin.query(`select 1 from pg_database where datname = $1`, [TEMPLATE]);
      if (found.rowCount) return;
      const building = `${TEMPLATE}_building`;
      await admin.query(`drop database if exists ${building} with (force)`);
      await admin.query(`create database ${building}`);
      const db = createDb({ connectionString: urlFor(building), max: 1 });
      try {
        await migrateToLatest(db);
      } finally {
        await db.destroy();
      }
      await admin.query(`alter database ${building} rename to ${TEMPLATE}`);
    } finally {
      await admin.query(`select pg_advisory_unlock(7231)`);
    }
  });
}

export interface TestDatabase {
  db: Db;
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `canopy_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(async (admin) => {
    // CREATE DATABASE … TEMPLATE fails if anyone else is connected to the template; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${TEMPLATE}`);
        return;
      } catch (error) {
        if (attempt > 50 || (error as { code?: string }).code !== "55006") throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  const url = urlFor(name);
  const db = createDb({ connectionString: url, max: 10 });
  return {
    db,
    url,
    name,
    async drop() {
      await db.destroy();
      await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/**
 * Runs `work` in a transaction whose planner avoids sequential scans wherever an index can serve
 * (`enable_seqscan = off`), and returns how many sequential scans of `table` it still made: 0
 * when every statement reached the table through an index. Test tables are small, where a scan
 * is the planner's honest choice; this asks instead whether an index could serve at a million
 * rows. Counted as a difference: pg_stat_xact_user_tables holds what the connection has not yet
 * reported, which may include an earlier transaction's scans.
 */
export async function sequentialScansOf(db: Db, table: string, work: (trx: Db) => Promise<unknown>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const scans = async () => {
      const { rows } = await sql<{ seq_scan: string }>`
        select seq_scan from pg_stat_xact_user_tables where relname = ${table}`.execute(trx);
      return Number(rows[0]?.seq_scan ?? 0);
    };
    await sql`set local enable_seqscan = off`.execute(trx);
    const before = await scans();
    await work(trx);
    return (await scans()) - before;
  });
}
