// statements, rated lines, the margin report, usage
import { type Command, InvalidArgumentError } from "commander";
import { Context } from "../context";
import { examples } from "../output";
import { collect, type PagingOptions, withPaging } from "../paging";
import { choice, intOption } from "../parse";

/** Money travels in minor units; a terminal shows it with two decimals ("-" where there is none, e.g. what the provider paid). */
const amount = (minor: number | null | undefined) => (minor == null ? "-" : (minor / 100).toFixed(2));
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const month = (value: string) => {
  if (!MONTH.test(value)) throw new InvalidArgumentError(`"${value}": expected a month such as 2026-11`);
  return value;
};
/** A day (taken as midnight UTC) or a full ISO timestamp with its offset. */
const instant = (value: string) => {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00Z`;
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError(`"${value}": expected a day such as 2026-11-01 or an ISO timestamp`);
  return value;
};

export function billingCommands(program: Command): void {
  const billing = program.command("billing").description("Billing: statements, rated lines, margin report");
  const statements = billing.command("statements").description("Monthly statements, as buyer and as vendor");
  withPaging(statements.command("list"))
    .description("List statements in reach, newest month first")
    .option("--month <yyyy-mm>", "of one month", month)
    .option("--side <side>", "buyer (what you owe) | vendor (what you bill)", choice(["buyer", "vendor"] as const))
    .option("--account <id>", "where this account (in reach) is buyer or vendor")
    .option("--status <status>", "open | issued", choice(["open", "issued"] as const))
    .addHelpText(
      "after",
      examples("canopy billing statements list --month 2026-11", "canopy billing statements list --side vendor --all --json"),
    )
    .action(
      async (
        o: PagingOptions & { month?: string; side?: "buyer" | "vendor"; account?: string; status?: "open" | "issued" },
        cmd: Command,
      ) => {
        const ctx = Context.of(cmd);
        const rows = await collect(o, (cursor, limit) =>
          ctx.client.billing.statements.list.query({ cursor, limit, month: o.month, side: o.side, accountId: o.account, status: o.status }),
        );
        ctx.list(rows, [
          { header: "id", value: (s) => s.id },
          { header: "month", value: (s) => s.month },
          { header: "buyer", value: (s) => s.buyerId },
          { header: "vendor", value: (s) => s.vendorId },
          { header: "status", value: (s) => s.status },
          { header: "lines", value: (s) => s.lineCount },
          { header: "total", value: (s) => s.total },
        ]);
      },
    );
  statements
    .command("get <id>")
    .description("Show one statement with its totals by kind")
    .addHelpText("after", examples("canopy billing statements get stm_01…"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      ctx.show(await ctx.client.billing.statements.get.query({ id }));
    });
  withPaging(billing.command("lines"))
    .description("Export rated lines (one per charge and tier): a table, JSON, or CSV for a spreadsheet")
    .option("--statement <id>", "of one statement")
    .option("--month <yyyy-mm>", "of one month", month)
    .option("--csv", "print CSV (header included) instead of a table")
    .addHelpText(
      "after",
      examples("canopy billing lines --statement stm_01… --csv > lines.csv", "canopy billing lines --month 2026-11 --all --json"),
    )
    .action(async (o: PagingOptions & { statement?: string; month?: string; csv?: boolean }, cmd: Command) => {
      const ctx = Context.of(cmd);
      const format = o.csv ? ("csv" as const) : ("json" as const);
      const pages: string[] = [];
      const rows = await collect(o, async (cursor, limit) => {
        const page = await ctx.client.billing.lines.export.query({ cursor, limit, statementId: o.statement, month: o.month, format });
        if (page.csv !== null) pages.push(pages.length === 0 ? page.csv : page.csv.slice(page.csv.indexOf("\n") + 1));
        return page;
      });
      if (o.csv) return void process.stdout.write(pages.join(""));
      ctx.list(rows, [
        { header: "kind", value: (l) => l.kind },
        { header: "tier", value: (l) => l.tier },
        { header: "mpn", value: (l) => l.mpn },
        { header: "quantity", value: (l) => l.quantity },
        { header: "days", value: (l) => `${l.daysBilled}/${l.daysInPeriod}` },
        { header: "price", value: (l) => l.price },
        { header: "cost", value: (l) => amount(l.cost?.amount) },
        { header: "buyer", value: (l) => l.buyerId },
      ]);
    });
  billing
    .command("margin")
    .description("What your customers were charged and what you were charged for the same subscriptions")
    .requiredOption("--month <yyyy-mm>", "the month", month)
    .option("--account <id>", "for this reseller in your subtree (default: yours)")
    .addHelpText("after", examples("canopy billing margin --month 2026-11", "canopy billing margin --month 2026-11 --json"))
    .action(async (o: { month: string; account?: string }, cmd: Command) => {
      const ctx = Context.of(cmd);
      const report = await ctx.client.billing.margin.query({ month: o.month, accountId: o.account });
      if (ctx.options.json) return ctx.show(report);
      ctx.list(report.rows as Record<string, unknown>[], [
        { header: "subscription", value: (r) => r.subscriptionId },
        { header: "mpn", value: (r) => r.mpn },
        { header: "buyer", value: (r) => r.buyerId },
        { header: "charged", value: (r) => amount(r.charged as number) },
        { header: "paid", value: (r) => amount(r.paid as number | null) },
        { header: "margin", value: (r) => amount(r.margin as number | null) },
        { header: "currency", value: (r) => r.currency },
      ]);
      for (const t of report.totals) {
        process.stdout.write(`total ${t.currency}: charged ${amount(t.charged)}, paid ${amount(t.paid)}, margin ${amount(t.margin)}\n`);
      }
    });
}

export function usageCommands(program: Command): void {
  const usage = program.command("usage").description("Usage of pay-as-you-go subscriptions");
  usage
    .command("report <subscription> <unit> <quantity>")
    .description("Report usage for a period (an ISV's or the provider's API key); the same key counts once")
    .requiredOption("--from <day|timestamp>", "start of the period (2026-11-01 means midnight UTC)", instant)
    .requiredOption("--to <day|timestamp>", "end of the period (after --from)", instant)
    .requiredOption("--idempotency-key <key>", "the record's key: a repeat with it records nothing new")
    .addHelpText(
      "after",
      examples("canopy usage report sub_01… gb-hours 1200 --from 2026-11-01 --to 2026-11-02 --idempotency-key day-2026-11-01"),
    )
    .action(
      async (
        subscription: string,
        unit: string,
        quantity: string,
        o: { from: string; to: string; idempotencyKey: string },
        cmd: Command,
      ) => {
        const ctx = Context.of(cmd);
        const record = await ctx.client.usage.report.mutate({
          subscriptionId: subscription,
          unit,
          quantity: intOption("quantity", 0)(quantity),
          periodStart: o.from,
          periodEnd: o.to,
          idempotencyKey: o.idempotencyKey,
        });
        if (ctx.options.json) ctx.show(record);
        else process.stdout.write(`${record.id}${record.duplicate ? "\t(already reported)" : ""}\n`);
      },
    );
}
