// accounts, users, api-keys
import type { Command } from "commander";
import { Context } from "../context";
import { examples, notice } from "../output";
import { collect, type PagingOptions, withPaging } from "../paging";
import { choice } from "../parse";
import { readStdin } from "../prompt";

export function accountCommands(program: Command): void {
  const accounts = program.command("accounts").description("Reseller and customer accounts in your reach");
  withPaging(accounts.command("list"))
    .description("List accounts, depth-first by path")
    .option("--type <type>", "reseller | customer | provider", choice(["reseller", "customer", "provider"] as const))
    .option(
      "--status <status>",
      "active | creditHold | adminHold | cancelled",
      choice(["active", "creditHold", "adminHold", "cancelled"] as const),
    )
    .option("--vendor <id>", "only direct children of this account")
    .option("--root <id>", "only this account's subtree")
    .option("--external-id <id>", "by your own reference")
    .addHelpText("after", examples("canopy accounts list --type customer", "canopy accounts list --root acc_01… --all --json"))
    .action(
      async (
        o: PagingOptions & {
          type?: "reseller" | "customer" | "provider";
          status?: "active";
          vendor?: string;
          root?: string;
          externalId?: string;
        },
        cmd: Command,
      ) => {
        const ctx = Context.of(cmd);
        const rows = await collect(o, (cursor, limit) =>
          ctx.client.accounts.list.query({
            cursor,
            limit,
            type: o.type,
            status: o.status,
            vendorId: o.vendor,
            rootId: o.root,
            externalId: o.externalId,
          }),
        );
        ctx.list(rows, [
          { header: "id", value: (a) => a.id },
          { header: "type", value: (a) => a.type },
          { header: "name", value: (a) => a.name },
          { header: "status", value: (a) => a.status },
          { header: "vendor", value: (a) => a.vendorId },
        ]);
      },
    );
  accounts
    .command("get <id>")
    .description("Show one account")
    .addHelpText("after", examples("canopy accounts get acc_01…"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      ctx.show(await ctx.client.accounts.get.query({ id }));
    });
  accounts
    .command("create")
    .description("Create a reseller or customer account under yours (or under --vendor)")
    .requiredOption("--type <type>", "reseller | customer", choice(["reseller", "customer"] as const))
    .requiredOption("--name <name>", "the account's name")
    .requiredOption("--email <email>", "contact e-mail")
    .requiredOption("--country <code>", "ISO 3166 country code, e.g. DE")
    .option("--vendor <id>", "the parent account (default: yours)")
    .option("--external-id <id>", "your own reference")
    .addHelpText("after", examples('canopy accounts create --type customer --name "Example GmbH" --email it@example.com --country DE'))
    .action(
      async (
        o: { type: "reseller" | "customer"; name: string; email: string; country: string; vendor?: string; externalId?: string },
        cmd: Command,
      ) => {
        const ctx = Context.of(cmd);
        const account = await ctx.client.accounts.create.mutate({
          type: o.type,
          name: o.name,
          vendorId: o.vendor,
          externalId: o.externalId,
          contact: { email: o.email },
          address: { country: o.country },
        });
        if (ctx.options.json) ctx.show(account);
        else process.stdout.write(`${account.id}\n`);
      },
    );
  accounts
    .command("set-status <id> <status>")
    .description("Put an account on hold, reactivate or cancel it")
    .addHelpText("after", examples("canopy accounts set-status acc_01… creditHold"))
    .action(async (id: string, status: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      const account = await ctx.client.accounts.setStatus.mutate({
        id,
        status: choice(["active", "creditHold", "adminHold", "cancelled"] as const)(status),
      });
      if (ctx.options.json) ctx.show(account);
      else notice(`Account ${id} is ${account.status}`);
    });
}

export function userCommands(program: Command): void {
  const users = program.command("users").description("Users of your account and the accounts below it");
  withPaging(users.command("list"))
    .description("List users")
    .option("--account <id>", "of this account (default: yours)")
    .addHelpText("after", examples("canopy users list", "canopy users list --account acc_01… --json"))
    .action(async (o: PagingOptions & { account?: string }, cmd: Command) => {
      const ctx = Context.of(cmd);
      const rows = await collect(o, (cursor, limit) => ctx.client.users.list.query({ cursor, limit, accountId: o.account }));
      ctx.list(rows, [
        { header: "id", value: (u) => u.id },
        { header: "email", value: (u) => u.email },
        { header: "name", value: (u) => u.name },
        { header: "role", value: (u) => u.role },
        { header: "status", value: (u) => u.status },
      ]);
    });
  users
    .command("get <id>")
    .description("Show one user")
    .addHelpText("after", examples("canopy users get usr_01…"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      ctx.show(await ctx.client.users.get.query({ id }));
    });
  users
    .command("create")
    .description("Create a user (admin or service)")
    .requiredOption("--email <email>", "the user's e-mail")
    .requiredOption("--name <name>", "the user's name")
    .option("--role <role>", "admin | service", choice(["admin", "service"] as const), "admin")
    .option("--account <id>", "in this account (default: yours)")
    .option("--password-stdin", "set a password read from stdin")
    .addHelpText("after", examples('canopy users create --email ops@example.com --name "Ops" --role service'))
    .action(
      async (o: { email: string; name: string; role: "admin" | "service"; account?: string; passwordStdin?: boolean }, cmd: Command) => {
        const ctx = Context.of(cmd);
        const password = o.passwordStdin ? await readStdin() : undefined;
        const user = await ctx.client.users.create.mutate({ email: o.email, name: o.name, role: o.role, accountId: o.account, password });
        if (ctx.options.json) ctx.show(user);
        else process.stdout.write(`${user.id}\n`);
      },
    );
  users
    .command("disable <id>")
    .description("Disable a user (their sessions end)")
    .addHelpText("after", examples("canopy users disable usr_01…"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      const user = await ctx.client.users.disable.mutate({ id });
      if (ctx.options.json) ctx.show(user);
      else notice(`User ${id} is ${user.status}`);
    });
}

export function apiKeyCommands(program: Command): void {
  const keys = program.command("api-keys").description("API keys of your account and the accounts below it");
  withPaging(keys.command("list"))
    .description("List API keys (never their secrets)")
    .option("--account <id>", "of this account (default: yours)")
    .option("--include-revoked", "also revoked keys")
    .addHelpText("after", examples("canopy api-keys list", "canopy api-keys list --include-revoked --json"))
    .action(async (o: PagingOptions & { account?: string; includeRevoked?: boolean }, cmd: Command) => {
      const ctx = Context.of(cmd);
      const rows = await collect(o, (cursor, limit) =>
        ctx.client.apiKeys.list.query({ cursor, limit, accountId: o.account, includeRevoked: o.includeRevoked }),
      );
      ctx.list(rows, [
        { header: "id", value: (k) => k.id },
        { header: "name", value: (k) => k.name },
        { header: "account", value: (k) => k.accountId },
        { header: "revoked", value: (k) => k.revokedAt ?? "" },
      ]);
    });
  keys
    .command("create")
    .description("Create an API key; its secret is printed once")
    .requiredOption("--name <name>", "what the key is for")
    .option("--account <id>", "acting for this account (default: yours)")
    .option("--isv <name>", "an ISV's key (the provider makes them): it reports usage of that ISV's products and nothing else")
    .addHelpText(
      "after",
      examples(
        'canopy api-keys create --name "billing sync"',
        "KEY=$(canopy api-keys create --name ci --account acc_01…)",
        'canopy api-keys create --name "acme usage" --isv Acme',
      ),
    )
    .action(async (o: { name: string; account?: string; isv?: string }, cmd: Command) => {
      const ctx = Context.of(cmd);
      const created = await ctx.client.apiKeys.create.mutate({
        name: o.name,
        accountId: o.account,
        ...(o.isv === undefined ? {} : { kind: "isv" as const, isvName: o.isv }),
      });
      if (ctx.options.json) ctx.show(created);
      else {
        process.stdout.write(`${created.secret}\n`);
        notice(`API key ${created.apiKey.id} created; the secret above is shown only once`);
      }
    });
  keys
    .command("revoke <id>")
    .description("Revoke an API key at once")
    .addHelpText("after", examples("canopy api-keys revoke key_01…"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      const key = await ctx.client.apiKeys.revoke.mutate({ id });
      if (ctx.options.json) ctx.show(key);
      else notice(`API key ${id} revoked`);
    });
}
