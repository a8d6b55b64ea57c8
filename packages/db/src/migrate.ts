// `npm run migrate`: brings DATABASE_URL's database to the latest schema.
import { createDb } from "./client";
import { migrateToLatest } from "./migrator";

const connectionString = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/canopy";
const db = createDb({ connectionString, max: 1, applicationName: "canopy-migrate" });
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "schema already up to date");
} finally {
  await db.destroy();
}
