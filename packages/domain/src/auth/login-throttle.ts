import type { Database, Kysely } from "@canopy/db";
import { sql } from "@canopy/db";
import { DomainError } from "../shared/errors";

/** Ten wrong passwords for one email within fifteen minutes close it to logins until the window ends. */
export const LOGIN_FAILURES_ALLOWED = 10;
export const LOGIN_WINDOW_MINUTES = 15;

type Db = Kysely<Database>;

const tooMany = () => new DomainError("TOO_MANY_REQUESTS", `too many failed logins for this email; try again within ${LOGIN_WINDOW_MINUTES} minutes`);

/**
 * Takes one attempt from the email's budget before its password is checked, in one statement:
 * the upsert's row lock orders concurrent attempts, so however many arrive at once, at most
 * LOGIN_FAILURES_ALLOWED of them get through per window (a check followed by a later count let
 * a burst through whole). The attempt counts as a failure until `clearLoginFailures` says it
 * succeeded. Throws TOO_MANY_REQUESTS when the budget is spent.
 */
export async function takeLoginAttempt(db: Db, email: string): Promise<void> {
  const fresh = sql<boolean>`login_throttle.window_started_at > now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES})`;
  const taken = await db
    .insertInto("login_throttle")
    .values({ email: email.toLowerCase(), failures: 1 })
    .onConflict((oc) =>
      oc
        .column("email")
        .doUpdateSet({
          failures: sql`case when ${fresh} then login_throttle.failures + 1 else 1 end`,
          window_started_at: sql`case when ${fresh} then login_throttle.window_started_at else now() end`,
        })
        .where(sql<boolean>`not (${fresh} and login_throttle.failures >= ${LOGIN_FAILURES_ALLOWED})`),
    )
    .returning("failures")
    .executeTakeFirst();
  if (!taken) throw tooMany();
}

/** The attempt succeeded: the email's budget is whole again. */
export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom("login_throttle").where("email", "=", email.toLowerCase()).execute();
}
