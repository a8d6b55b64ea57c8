import type { Db } from "@canopy/db";
import { sql } from "@canopy/db";
import type { Actor } from "@canopy/domain/identity";
import { loadAccountInReach, readScope } from "@canopy/domain/identity";
import { decodeCursor, iso, notFound, type Page, pageOf } from "@canopy/domain/shared";
import { monthStartDay } from "../periods/amounts";
import type { LinesExportInput, MarginInput, MarginReport, RatedLine, Statement, StatementsListInput } from "../schema/billing.schema";
import { linesCsv } from "./lines-csv";
import { inReach, lineTotals, type StatementReach, toStatement } from "./statements.repository";

/**
 * Reach (docs/permissions.md, as everywhere): an admin sees the statements its account owes and
 * bills, and those of every account below it; anything else, a sibling's included, is NOT_FOUND.
 * Service users and ISV keys see none.
 */
function reachOf(actor: Actor): StatementReach | null {
  const scope = readScope(actor);
  return scope ? { accountId: actor.accountId, accountPath: scope } : null;
}

export async function listStatements(db: Db, actor: Actor, input: StatementsListInput): Promise<Page<Statement>> {
  const reach = reachOf(actor);
  if (!reach) return { items: [], nextCursor: null };
  const account = input.accountId ? await loadAccountInReach(db, actor, input.accountId) : undefined;
  const focus = account?.id ?? (input.side ? actor.accountId : undefined);
  let q = db
    .selectFrom("statements as st")
    .selectAll("st")
    .where(inReach(reach))
    .orderBy("st.id", "desc")
    .limit(input.limit + 1);
  if (focus && input.side === "buyer") q = q.where("st.buyer_id", "=", focus);
  else if (focus && input.side === "vendor") q = q.where("st.vendor_id", "=", focus);
  else if (focus) q = q.where((eb) => eb.or([eb("st.buyer_id", "=", focus), eb("st.vendor_id", "=", focus)]));
  if (input.month) q = q.where("st.month", "=", monthStartDay(input.month));
  if (input.status) q = q.where("st.status", "=", input.status);
  const before = decodeCursor(input.cursor);
  if (before) q = q.where("st.id", "<", before);
  const rows = await q.execute();
  const totals = await lineTotals(
    db,
    rows.slice(0, input.limit).map((r) => r.id),
  );
  return pageOf(
    rows,
    input.limit,
    (r) => r.id,
    (r) => toStatement(r, totals.get(r.id)),
  );
}

async function loadStatementInReach(db: Db, actor: Actor, id: string) {
  const reach = reachOf(actor);
  const row = reach
    ? await db.selectFrom("statements as st").selectAll("st").where("st.id", "=", id).where(inReach(reach)).executeTakeFirst()
    : undefined;
  if (!row) throw notFound("statement");
  return row;
}

export async function getStatement(db: Db, actor: Actor, id: string): Promise<Statement> {
  const row = await loadStatementInReach(db, actor, id);
  return toStatement(row, (await lineTotals(db, [id])).get(id));
}

/**
 * Rated lines in reach, oldest first, as JSON items and optionally CSV (the equivalent of a
 * rated-data report). A line's `cost` (what its vendor pays upstream) is the vendor side's
 * business: it is shown only to an account at or above that vendor, never to the line's buyer.
 */
export async function exportLines(
  db: Db,
  actor: Actor,
  input: LinesExportInput,
): Promise<Page<RatedLine> & { format: "json" | "csv"; csv: string | null }> {
  const reach = reachOf(actor);
  if (!reach) return { format: input.format, items: [], csv: input.format === "csv" ? linesCsv([]) : null, nextCursor: null };
  if (input.statementId) await loadStatementInReach(db, actor, input.statementId);
  let q = db
    .selectFrom("rated_lines as l")
    .innerJoin("statements as st", "st.id", "l.statement_id")
    .innerJoin("charges as c", "c.id", "l.charge_id")
    .selectAll("l")
    .select(["st.month", "c.period_start", "c.period_end", "c.days_billed", "c.days_in_period"])
    .where(inReach(reach))
    .orderBy("l.id")
    .limit(input.limit + 1);
  if (input.statementId) q = q.where("l.statement_id", "=", input.statementId);
  if (input.month) q = q.where("st.month", "=", monthStartDay(input.month));
  const after = decodeCursor(input.cursor);
  if (after) q = q.where("l.id", ">", after);
  const rows = await q.execute();
  const page = pageOf(
    rows,
    input.limit,
    (r) => r.id,
    (r): RatedLine => {
      const vendorSide = r.buyer_id !== actor.accountId;
      return {
        id: r.id,
        statementId: r.statement_id,
        month: r.month.slice(0, 7),
        kind: r.kind,
        tier: r.tier,
        subscriptionId: r.subscription_id,
        customerId: r.customer_id,
        buyerId: r.buyer_id,
        vendorId: r.vendor_id,
        mpn: r.mpn,
        quantity: r.quantity,
        periodStart: iso(r.period_start),
        periodEnd: iso(r.period_end),
        daysBilled: r.days_billed,
        daysInPeriod: r.days_in_period,
        unitPrice: r.unit_price,
        price: { amount: r.price_amount, currency: r.price_currency },
        cost: vendorSide && r.cost_amount !== null ? { amount: r.cost_amount, currency: r.cost_currency! } : null,
        note: r.note,
        occurredAt: iso(r.occurred_at),
      };
    },
  );
  return { ...page, format: input.format, csv: input.format === "csv" ? linesCsv(page.items) : null };
}

/**
 * A vendor's margin for a month: per subscription it billed, what it charged the account below
 * and what its own vendor charged it for the same subscription (from its own statements as a
 * buyer, so the two sides are read independently). Resellers and the provider; for the provider
 * `paid` is null.
 */
export async function marginReport(db: Db, actor: Actor, input: MarginInput): Promise<MarginReport> {
  const account = await loadAccountInReach(db, actor, input.accountId ?? actor.accountId);
  const day = monthStartDay(input.month);
  const sold = await db
    .selectFrom("rated_lines as l")
    .innerJoin("statements as st", "st.id", "l.statement_id")
    .select(["l.subscription_id", "l.buyer_id", "l.customer_id", "l.mpn", "l.price_currency"])
    .select(sql<number>`sum(l.price_amount)`.as("charged"))
    .where("l.vendor_id", "=", account.id)
    .where("st.month", "=", day)
    .groupBy(["l.subscription_id", "l.buyer_id", "l.customer_id", "l.mpn", "l.price_currency"])
    .orderBy("l.subscription_id")
    .execute();
  const bought = await db
    .selectFrom("rated_lines as l")
    .innerJoin("statements as st", "st.id", "l.statement_id")
    .select(["l.subscription_id", "l.price_currency"])
    .select(sql<number>`sum(l.price_amount)`.as("paid"))
    .where("l.buyer_id", "=", account.id)
    .where("st.month", "=", day)
    .groupBy(["l.subscription_id", "l.price_currency"])
    .execute();
  const paidFor = new Map(bought.map((b) => [b.subscription_id, Number(b.paid)]));
  const hasVendor = account.vendor_id !== null;
  const rows = sold.map((s) => {
    const charged = Number(s.charged);
    const paid = hasVendor ? (paidFor.get(s.subscription_id) ?? 0) : null;
    return {
      subscriptionId: s.subscription_id,
      buyerId: s.buyer_id,
      customerId: s.customer_id,
      mpn: s.mpn,
      currency: s.price_currency,
      charged,
      paid,
      margin: paid === null ? null : charged - paid,
    };
  });
  const byCurrency = new Map<string, { charged: number; paid: number | null }>();
  for (const r of rows) {
    const t = byCurrency.get(r.currency) ?? { charged: 0, paid: hasVendor ? 0 : null };
    t.charged += r.charged;
    if (t.paid !== null && r.paid !== null) t.paid += r.paid;
    byCurrency.set(r.currency, t);
  }
  const totals = [...byCurrency].map(([currency, t]) => ({ currency, ...t, margin: t.paid === null ? null : t.charged - t.paid }));
  return { accountId: account.id, month: input.month, rows, totals };
}
