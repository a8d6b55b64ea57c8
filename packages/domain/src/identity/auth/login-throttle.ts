import type { Db } from "@canopy/db";
import { sql } from "@canopy/db";
import { DomainError } from "@canopy/domain/shared";

/** Wrong passwords allowed per email from one client address within the window. */
export const LOGIN_FAILURES_ALLOWED = 10;
/** Wrong passwords allowed from one client address, whatever the emails, within the window. */
export const LOGIN_FAILURES_PER_ADDRESS = 50;
export const LOGIN_WINDOW_MINUTES = 15;

/** The throttle row that counts an address's attempts at every email. */
const ANY_EMAIL = "*";

/** Where a login attempt comes from: the client address the API saw (behind a trusted proxy, the forwarded one). */
export interface LoginOrigin {
  clientAddress: string;
}

const tooMany = () => new DomainError("TOO_MANY_REQUESTS", `too many failed logins; try again within ${LOGIN_WINDOW_MINUTES} minutes`);

/**
 * Takes one attempt from two budgets before the password is checked: the email's from this
 * address (so a stranger's guesses cannot lock out a user who signs in from elsewhere) and the
 * address's for all emails (looser, against one address spraying many emails). One statement:
 * the upserts' row locks order concurrent attempts, so however many arrive at once, no more
 * than the budgets get through per window (a check followed by a later count let a burst
 * through whole). The address's row is counted only when the email's had room. The attempt
 * counts as a failure until `clearLoginFailures` says it succeeded. Throws TOO_MANY_REQUESTS
 * when a budget is spent.
 */
export async function takeLoginAttempt(db: Db, email: string, { clientAddress }: LoginOrigin): Promise<void> {
  const fresh = sql`login_throttle.window_started_at > now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES})`;
  const count = sql`failures = case when ${fresh} then login_throttle.failures + 1 else 1 end,
    window_started_at = case when ${fresh} then login_throttle.window_started_at else now() end`;
  const { rows } = await sql<{ allowed: boolean }>`
    with for_email as (
      insert into login_throttle (email, address, failures) values (${email.toLowerCase()}, ${clientAddress}, 1)
      on conflict (email, address) do update set ${count}
      where not (${fresh} and login_throttle.failures >= ${LOGIN_FAILURES_ALLOWED})
      returning 1
    ), for_address as (
      insert into login_throttle (email, address, failures) select ${ANY_EMAIL}, ${clientAddress}, 1 where exists (select from for_email)
      on conflict (email, address) do update set ${count}
      where not (${fresh} and login_throttle.failures >= ${LOGIN_FAILURES_PER_ADDRESS})
      returning 1
    )
    select exists (select from for_address) as allowed`.execute(db);
  if (!rows[0]?.allowed) throw tooMany();
}

/** The attempt succeeded: the email's budget from this address is whole again, and the address's attempt given back. */
export async function clearLoginFailures(db: Db, email: string, { clientAddress }: LoginOrigin): Promise<void> {
  await db.deleteFrom("login_throttle").where("email", "=", email.toLowerCase()).where("address", "=", clientAddress).execute();
  await db
    .updateTable("login_throttle")
    .set({ failures: sql`greatest(failures - 1, 0)` })
    .where("email", "=", ANY_EMAIL)
    .where("address", "=", clientAddress)
    .execute();
}
