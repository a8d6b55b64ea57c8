import { createTestDatabase, sequentialScansOf, type TestDatabase } from "@canopy/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login } from "../auth/auth.service";
import { bootstrapPlatform } from "../platform/bootstrap";
import { deleteSessionsOfUser } from "./users.repository";

// Ending a user's sessions (a password change, a disabled user) finds them through their user's
// index: every session of the platform is in one table.

let database: TestDatabase;
const admin = { email: "admin@provider.test", password: "correct horse battery staple" };
beforeAll(async () => {
  database = await createTestDatabase();
  await bootstrapPlatform(database.db, { adminEmail: admin.email, adminPassword: admin.password });
});
afterAll(() => database?.drop());

describe("a user's sessions", () => {
  it("are ended through the sessions' user index", async () => {
    const origin = { clientAddress: "127.0.0.1" };
    const { user } = await login(database.db, admin, origin);
    await login(database.db, admin, origin);
    const sessionsOf = () => database.db.selectFrom("sessions").select("id").where("user_id", "=", user.id).execute();
    expect(await sessionsOf()).toHaveLength(2);
    const scans = await sequentialScansOf(database.db, "sessions", (trx) => deleteSessionsOfUser(trx, user.id));
    expect(scans).toBe(0);
    expect(await sessionsOf()).toEqual([]);
  });
});
