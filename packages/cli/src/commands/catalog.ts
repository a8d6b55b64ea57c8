// products, prices
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { Context } from "../context";
import { examples, notice } from "../output";
import { collect, type PagingOptions, withPaging } from "../paging";
import { amountOption, choice, jsonObject } from "../parse";

const readText = (path: string) => readFile(path, "utf8");

export function productCommands(program: Command): void {
  const products = program.command("products").description("The provider's catalog");
  withPaging(products.command("list"))
    .description("List products by MPN")
    .option("-q, --query <text>", "search names and MPNs (3+ characters)")
    .option("--isv <name>", "by the ISV's name")
    .option("--status <status>", "draft | published | retired", choice(["draft", "published", "retired"] as const))
    .addHelpText("after", examples('canopy products list -q "office"', "canopy products list --status published --all --json"))
    .action(async (o: PagingOptions & { query?: string; isv?: string; status?: "draft" | "published" | "retired" }, cmd: Command) => {
      const ctx = Context.of(cmd);
      const rows = await collect(o, (cursor, limit) =>
        ctx.client.products.list.query({ cursor, limit, q: o.query, isvName: o.isv, status: o.status }),
      );
      ctx.list(rows, [
        { header: "mpn", value: (p) => p.mpn },
        { header: "name", value: (p) => p.name },
        { header: "status", value: (p) => p.status },
        { header: "unit", value: (p) => p.unit },
        { header: "msrp", value: (p) => p.msrp },
        { header: "id", value: (p) => p.id },
      ]);
    });
  products
    .command("get <id-or-mpn>")
    .description("Show one product by id (prd_…) or MPN")
    .addHelpText("after", examples("canopy products get MS-365-E3", "canopy products get prd_01… --json"))
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      ctx.show(await ctx.client.products.get.query(ref.startsWith("prd_") ? { id: ref } : { mpn: ref }));
    });
  products
    .command("create")
    .description("Create a draft product from a JSON description (see docs/catalog.md for the fields)")
    .requiredOption("--data <json>", "the product as JSON, or @file.json")
    .addHelpText(
      "after",
      examples(
        `canopy products create --data '{"mpn":"DEMO-1","name":"Demo","isvName":"Demo ISV","connector":"demo","unit":"seat","billingPeriod":"monthly","minQuantity":1,"maxQuantity":100,"msrp":{"amount":1000,"currency":"EUR"}}'`,
        "canopy products create --data @product.json",
      ),
    )
    .action(async (o: { data: string }, cmd: Command) => {
      const ctx = Context.of(cmd);
      const input = (await jsonObject(o.data, readText)) as Parameters<typeof ctx.client.products.create.mutate>[0];
      const product = await ctx.client.products.create.mutate(input);
      if (ctx.options.json) ctx.show(product);
      else process.stdout.write(`${product.id}\n`);
    });
  for (const [name, verb] of [
    ["publish", "Publish a draft product: resellers can price and sell it"],
    ["retire", "Retire a product: no new orders"],
  ] as const) {
    products
      .command(`${name} <id>`)
      .description(verb)
      .addHelpText("after", examples(`canopy products ${name} prd_01…`))
      .action(async (id: string, _o: unknown, cmd: Command) => {
        const ctx = Context.of(cmd);
        const product = await ctx.client.products[name].mutate({ id });
        if (ctx.options.json) ctx.show(product);
        else notice(`Product ${product.mpn} is ${product.status}`);
      });
  }
}

export function priceCommands(program: Command): void {
  const prices = program.command("prices").description("Your selling prices (a reseller's price list)");
  withPaging(prices.command("list"))
    .description("List prices by MPN, with your cost")
    .option("--mpn <mpn>", "one product")
    .option("--vendor <id>", "another vendor's list (provider only)")
    .addHelpText("after", examples("canopy prices list", "canopy prices list --mpn MS-365-E3 --json"))
    .action(async (o: PagingOptions & { mpn?: string; vendor?: string }, cmd: Command) => {
      const ctx = Context.of(cmd);
      const rows = await collect(o, (cursor, limit) => ctx.client.prices.list.query({ cursor, limit, mpn: o.mpn, vendorId: o.vendor }));
      ctx.list(rows, [
        { header: "mpn", value: (p) => p.mpn },
        { header: "price", value: (p) => p.price },
        { header: "cost", value: (p) => (p as { cost?: unknown }).cost },
        { header: "updated", value: (p) => p.updatedAt },
      ]);
    });
  prices
    .command("set <mpn> <amount> <currency>")
    .description("Set your price for a product (amount in major units, e.g. 12.50)")
    .addHelpText("after", examples("canopy prices set MS-365-E3 32.00 EUR"))
    .action(async (mpn: string, amount: string, currency: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      const price = await ctx.client.prices.set.mutate({ mpn, price: { amount: amountOption(amount), currency } });
      if (ctx.options.json) ctx.show(price);
      else notice(`Price of ${mpn} set`);
    });
  prices
    .command("remove <mpn>")
    .description("Remove your price for a product")
    .addHelpText("after", examples("canopy prices remove MS-365-E3"))
    .action(async (mpn: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      const price = await ctx.client.prices.remove.mutate({ mpn });
      if (ctx.options.json) ctx.show(price);
      else notice(`Price of ${mpn} removed`);
    });
}
