import type { Db, StatementRow } from "@canopy/db";
import { sql } from "@canopy/db";
import { iso, subtreeRange } from "@canopy/domain/shared";
import type { Statement } from "../schema/billing.schema";

/** An actor's reach over statements: those whose buyer is in its subtree, and those it bills as vendor. */
export interface StatementReach {
  accountId: string;
  accountPath: string;
}

/** Statements in reach (the buyer's side or the vendor's), as a where-clause builder. */
export function inReach(reach: StatementReach) {
  const { from, to } = subtreeRange(reach.accountPath);
  return sql<boolean>`((st.buyer_path >= ${from} and st.buyer_path < ${to}) or st.vendor_id = ${reach.accountId})`;
}

type Totals = { total: number; lines: number; byKind: Record<string, number> };

/** Totals of open statements from their lines; issued ones carry their own. */
export async function lineTotals(db: Db, statementIds: string[]): Promise<Map<string, Totals>> {
  const totals = new Map<string, Totals>();
  if (statementIds.length === 0) return totals;
  const rows = await db
    .selectFrom("rated_lines")
    .select(["statement_id", "kind"])
    .select((eb) => [eb.fn.sum<number>("price_amount").as("amount"), eb.fn.countAll<number>().as("n")])
    .where("statement_id", "in", statementIds)
    .groupBy(["statement_id", "kind"])
    .execute();
  for (const r of rows) {
    const t = totals.get(r.statement_id) ?? { total: 0, lines: 0, byKind: {} };
    t.total += Number(r.amount);
    t.lines += Number(r.n);
    t.byKind[r.kind] = Number(r.amount);
    totals.set(r.statement_id, t);
  }
  return totals;
}

export function toStatement(row: StatementRow, totals: Totals | undefined): Statement {
  return {
    id: row.id,
    buyerId: row.buyer_id,
    vendorId: row.vendor_id,
    currency: row.currency,
    month: row.month.slice(0, 7),
    status: row.status,
    total: { amount: row.status === "issued" ? row.total_amount! : (totals?.total ?? 0), currency: row.currency },
    lineCount: row.status === "issued" ? row.line_count! : (totals?.lines ?? 0),
    totalsByKind: totals?.byKind ?? {},
    issuedAt: row.issued_at ? iso(row.issued_at) : null,
    createdAt: iso(row.created_at),
  };
}
