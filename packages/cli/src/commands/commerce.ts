// orders, subscriptions
import { setTimeout as delay } from "node:timers/promises";
import type { Command } from "commander";
import { Context } from "../context";
import { CliError } from "../errors";
import { examples, notice } from "../output";
import { collect, type PagingOptions, withPaging } from "../paging";
import { choice, intOption, type OrderItem, orderItem } from "../parse";

const ORDER_STATUSES = ["submitted", "processing", "completed", "error", "cancelled"] as const;
const SUBSCRIPTION_STATUSES = ["pending", "active", "suspended", "terminated"] as const;
const FINAL = new Set(["completed", "error", "cancelled"]);

interface OrderOptions {
  item: OrderItem[];
  account?: string;
  type?: "sales" | "change" | "cancellation";
}

function withItems(command: Command): Command {
  return command
    .requiredOption("--item <mpn=quantity>", "a product and quantity (repeat for more; sub_…=N changes a subscription)", orderItem)
    .option("--account <id>", "for this customer (default: yours)")
    .option("--type <type>", "sales | change | cancellation", choice(["sales", "change", "cancellation"] as const));
}

export function orderCommands(program: Command): void {
  const orders = program.command("orders").description("Orders: estimate, place, follow, cancel");
  withItems(orders.command("estimate"))
    .description("Price an order without placing it")
    .addHelpText("after", examples("canopy orders estimate --item MS-365-E3=10 --account acc_01…"))
    .action(async (o: OrderOptions, cmd: Command) => {
      const ctx = Context.of(cmd);
      const estimate = await ctx.client.orders.estimate.query({ items: o.item, accountId: o.account, type: o.type });
      if (ctx.options.json) return ctx.show(estimate);
      ctx.list(estimate.items as Record<string, unknown>[], [
        { header: "mpn", value: (i) => i.mpn },
        { header: "quantity", value: (i) => i.quantity },
        { header: "unit price", value: (i) => i.unitPrice },
        { header: "total", value: (i) => i.total },
      ]);
      process.stdout.write(`total: ${(estimate.total.amount / 100).toFixed(2)} ${estimate.total.currency}\n`);
    });
  withItems(orders.command("place"))
    .description("Place an order; with --wait, follow it until it completes or fails")
    .option("--idempotency-key <key>", "the same key places the order once, however often it is sent")
    .option("--wait", "wait until the order is completed, failed or cancelled (exit 1 unless completed)")
    .option("--timeout <seconds>", "give up waiting after this long", intOption("--timeout", 1, 3600), 120)
    .addHelpText(
      "after",
      examples(
        "canopy orders place --item MS-365-E3=10 --account acc_01… --wait",
        "ID=$(canopy orders place --item DEMO-1=1 --idempotency-key run-42)",
      ),
    )
    .action(async (o: OrderOptions & { idempotencyKey?: string; wait?: boolean; timeout: number }, cmd: Command) => {
      const ctx = Context.of(cmd);
      let order = await ctx.client.orders.place.mutate({
        items: o.item,
        accountId: o.account,
        type: o.type,
        idempotencyKey: o.idempotencyKey,
      });
      if (o.wait) {
        const until = Date.now() + o.timeout * 1000;
        notice(`Order ${order.id} placed; waiting…`);
        while (!FINAL.has(order.status)) {
          if (Date.now() > until) throw new CliError(`order ${order.id} is still ${order.status} after ${o.timeout} s`);
          await delay(250);
          order = await ctx.client.orders.get.query({ id: order.id });
        }
      }
      if (ctx.options.json) ctx.show(order);
      else if (o.wait) process.stdout.write(`${order.id}\t${order.status}\n`);
      else process.stdout.write(`${order.id}\n`);
      if (o.wait && order.status !== "completed") {
        const reason = (order as { errorMessage?: string | null }).errorMessage;
        throw new CliError(`order ${order.id} ended ${order.status}${reason ? `: ${reason}` : ""}`);
      }
    });
  orders
    .command("get <id>")
    .description("Show one order with its items")
    .addHelpText("after", examples("canopy orders get ord_01…", "canopy orders get ord_01… --json"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      ctx.show(await ctx.client.orders.get.query({ id }));
    });
  withPaging(orders.command("list"))
    .description("List orders, newest first")
    .option("--account <id>", "of this account's subtree")
    .option("--status <status>", ORDER_STATUSES.join(" | "), choice(ORDER_STATUSES))
    .option("--since <iso>", "placed at or after")
    .option("--until <iso>", "placed before")
    .addHelpText("after", examples("canopy orders list --status error", "canopy orders list --since 2026-11-01T00:00:00Z --all --json"))
    .action(
      async (
        o: PagingOptions & { account?: string; status?: (typeof ORDER_STATUSES)[number]; since?: string; until?: string },
        cmd: Command,
      ) => {
        const ctx = Context.of(cmd);
        const rows = await collect(o, (cursor, limit) =>
          ctx.client.orders.list.query({ cursor, limit, accountId: o.account, status: o.status, since: o.since, until: o.until }),
        );
        ctx.list(rows, [
          { header: "id", value: (r) => r.id },
          { header: "type", value: (r) => r.type },
          { header: "status", value: (r) => r.status },
          { header: "account", value: (r) => r.accountId },
          { header: "total", value: (r) => (r as { total?: unknown }).total },
          { header: "created", value: (r) => r.createdAt },
        ]);
      },
    );
  orders
    .command("cancel <id>")
    .description("Cancel an order that has not been fulfilled yet")
    .addHelpText("after", examples("canopy orders cancel ord_01…"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      const order = await ctx.client.orders.cancel.mutate({ id });
      if (ctx.options.json) ctx.show(order);
      else notice(`Order ${id} is ${order.status}`);
    });
}

export function subscriptionCommands(program: Command): void {
  const subs = program.command("subscriptions").description("Subscriptions: list, change quantity, suspend, resume, cancel");
  withPaging(subs.command("list"))
    .description("List subscriptions, newest first")
    .option("--account <id>", "of this account's subtree")
    .option("--status <status>", SUBSCRIPTION_STATUSES.join(" | "), choice(SUBSCRIPTION_STATUSES))
    .option("--mpn <mpn>", "of one product")
    .addHelpText("after", examples("canopy subscriptions list --account acc_01…", "canopy subscriptions list --status active --all --json"))
    .action(
      async (o: PagingOptions & { account?: string; status?: (typeof SUBSCRIPTION_STATUSES)[number]; mpn?: string }, cmd: Command) => {
        const ctx = Context.of(cmd);
        const rows = await collect(o, (cursor, limit) =>
          ctx.client.subscriptions.list.query({ cursor, limit, accountId: o.account, mpn: o.mpn, status: o.status }),
        );
        ctx.list(rows, [
          { header: "id", value: (s) => s.id },
          { header: "mpn", value: (s) => s.mpn },
          { header: "quantity", value: (s) => s.quantity },
          { header: "status", value: (s) => s.status },
          { header: "account", value: (s) => s.accountId },
        ]);
      },
    );
  subs
    .command("get <id>")
    .description("Show one subscription")
    .addHelpText("after", examples("canopy subscriptions get sub_01…"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      ctx.show(await ctx.client.subscriptions.get.query({ id }));
    });
  subs
    .command("change-quantity <id> <quantity>")
    .description("Order a new quantity (prints the change order's id)")
    .addHelpText("after", examples("canopy subscriptions change-quantity sub_01… 25"))
    .action(async (id: string, quantity: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      const order = await ctx.client.subscriptions.changeQuantity.mutate({ id, quantity: intOption("quantity", 0)(quantity) });
      if (ctx.options.json) ctx.show(order);
      else process.stdout.write(`${order.id}\n`);
    });
  subs
    .command("cancel <id>")
    .description("Cancel a subscription (prints the cancellation order's id)")
    .addHelpText("after", examples("canopy subscriptions cancel sub_01…"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      const order = await ctx.client.subscriptions.cancel.mutate({ id });
      if (ctx.options.json) ctx.show(order);
      else process.stdout.write(`${order.id}\n`);
    });
  for (const name of ["suspend", "resume"] as const) {
    subs
      .command(`${name} <id>`)
      .description(`${name === "suspend" ? "Suspend" : "Resume"} a subscription`)
      .addHelpText("after", examples(`canopy subscriptions ${name} sub_01…`))
      .action(async (id: string, _o: unknown, cmd: Command) => {
        const ctx = Context.of(cmd);
        const sub = await ctx.client.subscriptions[name].mutate({ id });
        if (ctx.options.json) ctx.show(sub);
        else notice(`Subscription ${id}: ${name} requested`);
      });
  }
}
