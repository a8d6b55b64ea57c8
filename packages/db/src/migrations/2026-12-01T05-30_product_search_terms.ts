import { type Kysely, sql } from "kysely";

// Frozen in time: written against Kysely<any> so later type changes never rewrite history.
// Product search by word prefixes (docs/catalog.md#search). For every product, each word of its
// name and each part of its MPN (lower-cased, split at anything but a–z and 0–9) gives every
// prefix of two characters or more as a term: "Cloud Vault" / "MS-AB12" give cl, clo, clou,
// cloud, va, vau, vaul, vault, ms, ab, ab1, ab12. The primary key (term, mpn) yields one term's
// products in MPN order, the listing's order, so a search walks the streams of its words side by
// side (a merge join) and stops at the page size, however many products match.
// Statement-level triggers keep the table in step with products (insert, a change of name or MPN,
// delete, truncate), so no writer can forget it and a set-based insert costs one statement.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create function product_search_terms_of(name text, mpn text) returns setof text
    language sql immutable parallel safe as $$
      select distinct left(part, n)
      from regexp_split_to_table(lower(name || ' ' || mpn), '[^a-z0-9]+') part, generate_series(2, length(part)) n
    $$`.execute(db);
  await sql`create table product_search_terms (
    term text not null,
    mpn text not null,
    primary key (term, mpn)
  )`.execute(db);
  // Hundreds of terms are each in several percent of the products (every prefix of a common
  // word): a longer most-common-values list lets the planner tell them from rare ones.
  await sql`alter table product_search_terms alter column term set statistics 1000`.execute(db);

  await sql`create function product_search_terms_insert() returns trigger language plpgsql as $$
    begin
      insert into product_search_terms (term, mpn)
        select t.term, n.mpn from added n, product_search_terms_of(n.name, n.mpn) t(term) order by 1, 2;
      return null;
    end $$`.execute(db);
  await sql`create function product_search_terms_update() returns trigger language plpgsql as $$
    begin
      delete from product_search_terms s
        using removed o join added n on n.id = o.id, product_search_terms_of(o.name, o.mpn) t(term)
        where (n.name, n.mpn) is distinct from (o.name, o.mpn) and s.term = t.term and s.mpn = o.mpn;
      insert into product_search_terms (term, mpn)
        select t.term, n.mpn from removed o join added n on n.id = o.id, product_search_terms_of(n.name, n.mpn) t(term)
        where (n.name, n.mpn) is distinct from (o.name, o.mpn) order by 1, 2;
      return null;
    end $$`.execute(db);
  await sql`create function product_search_terms_delete() returns trigger language plpgsql as $$
    begin
      delete from product_search_terms s
        using removed o, product_search_terms_of(o.name, o.mpn) t(term)
        where s.term = t.term and s.mpn = o.mpn;
      return null;
    end $$`.execute(db);
  await sql`create function product_search_terms_truncate() returns trigger language plpgsql as $$
    begin
      truncate product_search_terms;
      return null;
    end $$`.execute(db);
  // Transition tables need one trigger per event (and no column list on UPDATE: the function
  // compares name and MPN itself).
  await sql`create trigger product_search_terms_insert after insert on products
    referencing new table as added for each statement execute function product_search_terms_insert()`.execute(db);
  await sql`create trigger product_search_terms_update after update on products
    referencing old table as removed new table as added for each statement execute function product_search_terms_update()`.execute(db);
  await sql`create trigger product_search_terms_delete after delete on products
    referencing old table as removed for each statement execute function product_search_terms_delete()`.execute(db);
  await sql`create trigger product_search_terms_truncate after truncate on products
    for each statement execute function product_search_terms_truncate()`.execute(db);

  await sql`insert into product_search_terms (term, mpn)
    select t.term, p.mpn from products p, product_search_terms_of(p.name, p.mpn) t(term) order by 1, 2`.execute(db);
  await sql`analyze product_search_terms`.execute(db);

  // A word that is a fragment of an MPN part rather than its beginning ("9d5e" in "KAS-A9D5E1-7")
  // still matches: by trigram on the MPN alone, few rows for words that are not codes.
  await sql`create index products_mpn_search on products using gin (lower(mpn) gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists products_mpn_search`.execute(db);
  for (const event of ["insert", "update", "delete", "truncate"]) {
    await sql`drop trigger if exists ${sql.raw(`product_search_terms_${event}`)} on products`.execute(db);
    await sql`drop function if exists ${sql.raw(`product_search_terms_${event}`)}()`.execute(db);
  }
  await sql`drop table if exists product_search_terms`.execute(db);
  await sql`drop function if exists product_search_terms_of(text, text)`.execute(db);
}
