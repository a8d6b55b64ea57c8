import { type Db, sql } from "@canopy/db";

export interface AccountTreeShape {
  resellers: number;
  subResellersEach: number;
  customersEach: number;
}

/** The shape used for the "million accounts" figures: 100 × 10 × 999 + 1,100 ≈ 1,000,100. */
export const MILLION: AccountTreeShape = { resellers: 100, subResellersEach: 10, customersEach: 999 };
export const TEN_THOUSAND: AccountTreeShape = { resellers: 10, subResellersEach: 10, customersEach: 99 };

/**
 * Seeds provider → resellers → sub-resellers → customers with set-based SQL (seconds, not
 * minutes). Ids keep the real format (a prefix and a sortable body) so paths have real lengths.
 */
export async function seedAccountTree(db: Db, shape: AccountTreeShape): Promise<{ providerId: string; total: number }> {
  const { resellers, subResellersEach, customersEach } = shape;
  const id = (kind: string, n: string) => sql`'acc_' || ${sql.lit(kind)} || lpad((${sql.raw(n)})::text, 24, '0')`;
  await sql`truncate accounts cascade`.execute(db);
  await sql`insert into accounts (id, type, name, vendor_id, path, contact, address)
    values ('acc_p000000000000000000000000', 'provider', 'Provider', null, 'acc_p000000000000000000000000.', '{"email":"p@x.test"}', '{"country":"US"}')`.execute(
    db,
  );
  await sql`insert into accounts (id, type, name, vendor_id, path, contact, address)
    select ${id("r", "r")}, 'reseller', 'Reseller ' || r, 'acc_p000000000000000000000000',
           'acc_p000000000000000000000000.' || ${id("r", "r")} || '.', '{"email":"r@x.test"}', '{"country":"DE"}'
    from generate_series(1, ${resellers}) r`.execute(db);
  await sql`insert into accounts (id, type, name, vendor_id, path, contact, address)
    select ${id("s", "r * 1000 + s")}, 'reseller', 'Sub ' || r || '/' || s, ${id("r", "r")},
           'acc_p000000000000000000000000.' || ${id("r", "r")} || '.' || ${id("s", "r * 1000 + s")} || '.',
           '{"email":"s@x.test"}', '{"country":"DE"}'
    from generate_series(1, ${resellers}) r, generate_series(1, ${subResellersEach}) s`.execute(db);
  await sql`insert into accounts (id, type, name, vendor_id, path, contact, address)
    select ${id("c", "(r * 1000 + s) * 10000 + c")}, 'customer', 'Customer ' || c, ${id("s", "r * 1000 + s")},
           'acc_p000000000000000000000000.' || ${id("r", "r")} || '.' || ${id("s", "r * 1000 + s")} || '.' || ${id("c", "(r * 1000 + s) * 10000 + c")} || '.',
           '{"email":"c@x.test"}', '{"country":"FR"}'
    from generate_series(1, ${resellers}) r, generate_series(1, ${subResellersEach}) s, generate_series(1, ${customersEach}) c`.execute(db);
  await sql`vacuum analyze accounts`.execute(db);
  const total = 1 + resellers + resellers * subResellersEach + resellers * subResellersEach * customersEach;
  return { providerId: "acc_p000000000000000000000000", total };
}
