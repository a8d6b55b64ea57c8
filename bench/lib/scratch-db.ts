import { createDb, type Db, migrateToLatest } from "@canopy/db";
import pg from "pg";

const base = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function urlFor(name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A migrated scratch database for a benchmark, kept between runs (seeding a million rows takes a
 * while) unless `fresh` is set.
 */
async function asAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: urlFor("postgres") });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

export async function dropScratchDatabase(name: string): Promise<void> {
  await asAdmin((admin) => admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
}

export async function scratchDatabase(name: string, opts: { fresh?: boolean } = {}): Promise<{ db: Db; url: string }> {
  if (opts.fresh) await dropScratchDatabase(name);
  await asAdmin(async (admin) => {
    const found = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (!found.rowCount) await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  });
  const url = urlFor(name);
  const db: Db = createDb({ connectionString: url, max: 4, applicationName: "canopy-bench" });
  try {
    await migrateToLatest(db);
  } catch (error) {
    // A kept database migrated before someone added a migration dated earlier than the last one
    // it ran: start it over rather than fail (the caller reseeds what it finds missing).
    await db.destroy();
    if (opts.fresh) throw error;
    return scratchDatabase(name, { fresh: true });
  }
  return { db, url };
}
