// `npm run migrate`, or `node apps/api/dist/migrate.js` in the image: brings DATABASE_URL's
// database to the latest schema, creating the database first when it is missing (as the API does).
import { createDb } from "./client";
import { ensureDatabase } from "./ensure-database";
import { migrateToLatest } from "./migrator";

const connectionString = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/canopy";
await ensureDatabase(connectionString);
const db = createDb({ connectionString, max: 1, applicationName: "canopy-migrate" });
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "schema already up to date");
} finally {
  await db.destroy();
}
