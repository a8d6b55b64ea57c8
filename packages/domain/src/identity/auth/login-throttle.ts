import type { Db } from "@canopy/db";
import { sql } from "@canopy/db";
import { DomainError } from "@canopy/domain/shared";

/** Ten wrong passwords for one email within fifteen minutes close it to logins until the window ends. */
export const LOGIN_FAILURES_ALLOWED = 10;
export const LOGIN_WINDOW_MINUTES = 15;

export async function assertLoginAllowed(db: Db, email: string): Promise<void> {
  const row = await db
    .selectFrom("login_throttle")
    .select("failures")
    .where("email", "=", email.toLowerCase())
    .where("window_started_at", ">", sql<Date>`now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES})`)
    .executeTakeFirst();
  if (row && row.failures >= LOGIN_FAILURES_ALLOWED) {
    throw new DomainError("TOO_MANY_REQUESTS", `too many failed logins for this email; try again within ${LOGIN_WINDOW_MINUTES} minutes`);
  }
}

/** Counts a failure, starting a new window when the previous one has passed. */
export async function recordLoginFailure(db: Db, email: string): Promise<void> {
  await db
    .insertInto("login_throttle")
    .values({ email: email.toLowerCase(), failures: 1 })
    .onConflict((oc) =>
      oc.column("email").doUpdateSet({
        failures: sql`case when login_throttle.window_started_at > now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES}) then login_throttle.failures + 1 else 1 end`,
        window_started_at: sql`case when login_throttle.window_started_at > now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES}) then login_throttle.window_started_at else now() end`,
      }),
    )
    .execute();
}

export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom("login_throttle").where("email", "=", email.toLowerCase()).execute();
}
