// webhooks endpoints, webhooks deliveries, webhooks listen
import type { Command } from "commander";
import { Context } from "../context";
import { CliError, UsageError } from "../errors";
import { forwardEvent, newSecret, type StreamedEvent } from "../forwarder";
import { examples, notice } from "../output";
import { collect, type PagingOptions, withPaging } from "../paging";
import { choice, list } from "../parse";

export function webhookCommands(program: Command): void {
  const webhooks = program.command("webhooks").description("Webhook endpoints, their deliveries, and forwarding events to your machine");
  endpointCommands(webhooks.command("endpoints").description("Where Canopy sends your events"));
  deliveryCommands(webhooks.command("deliveries").description("Each attempt to send an event to an endpoint"));
  listenCommand(webhooks);
}

function endpointCommands(endpoints: Command): void {
  withPaging(endpoints.command("list"))
    .description("List webhook endpoints")
    .addHelpText("after", examples("canopy webhooks endpoints list", "canopy webhooks endpoints list --json"))
    .action(async (o: PagingOptions, cmd: Command) => {
      const ctx = Context.of(cmd);
      const rows = await collect(o, (cursor, limit) => ctx.client.webhooks.endpoints.list.query({ cursor, limit }));
      ctx.list(rows, [
        { header: "id", value: (e) => e.id },
        { header: "url", value: (e) => e.url },
        { header: "enabled", value: (e) => e.enabled },
        { header: "events", value: (e) => (e.eventTypes?.length ? e.eventTypes.join(",") : "*") },
      ]);
    });
  endpoints
    .command("get <id>")
    .description("Show one endpoint")
    .addHelpText("after", examples("canopy webhooks endpoints get whe_01…"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      ctx.show(await ctx.client.webhooks.endpoints.get.query({ id }));
    });
  endpoints
    .command("create")
    .description("Add an endpoint; its signing secret is printed once")
    .requiredOption("--url <url>", "the HTTPS URL to POST events to")
    .option("--events <types>", "comma-separated event types (default: all)", list)
    .option("--description <text>", "a note for people")
    .addHelpText(
      "after",
      examples("canopy webhooks endpoints create --url https://example.com/hooks --events order.completed,subscription.activated"),
    )
    .action(async (o: { url: string; events?: string[]; description?: string }, cmd: Command) => {
      const ctx = Context.of(cmd);
      type Input = Parameters<typeof ctx.client.webhooks.endpoints.create.mutate>[0];
      const created = await ctx.client.webhooks.endpoints.create.mutate({
        url: o.url,
        eventTypes: o.events as Input["eventTypes"],
        description: o.description,
      });
      if (ctx.options.json) return ctx.show(created);
      process.stdout.write(`${created.secret}\n`);
      notice(`Endpoint ${created.endpoint.id} created; the signing secret above is shown only once`);
    });
  endpoints
    .command("delete <id>")
    .description("Delete an endpoint")
    .addHelpText("after", examples("canopy webhooks endpoints delete whe_01…"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      const result = await ctx.client.webhooks.endpoints.delete.mutate({ id });
      if (ctx.options.json) ctx.show(result);
      else notice(`Endpoint ${id} deleted`);
    });
  for (const name of ["enable", "disable"] as const) {
    endpoints
      .command(`${name} <id>`)
      .description(`${name === "enable" ? "Enable" : "Disable"} an endpoint`)
      .addHelpText("after", examples(`canopy webhooks endpoints ${name} whe_01…`))
      .action(async (id: string, _o: unknown, cmd: Command) => {
        const ctx = Context.of(cmd);
        const endpoint = await ctx.client.webhooks.endpoints[name].mutate({ id });
        if (ctx.options.json) ctx.show(endpoint);
        else notice(`Endpoint ${id} ${name}d`);
      });
  }
  endpoints
    .command("rotate <id>")
    .alias("rotate-secret")
    .description("Rotate the signing secret (the old one keeps signing for a while); prints the new one")
    .addHelpText("after", examples("canopy webhooks endpoints rotate whe_01…"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      const rotated = await ctx.client.webhooks.endpoints.rotateSecret.mutate({ id });
      if (ctx.options.json) return ctx.show(rotated);
      process.stdout.write(`${rotated.secret}\n`);
      notice(`Endpoint ${id}: new signing secret above; verify with both until the old one expires`);
    });
  endpoints
    .command("recover <id>")
    .description("Send again every failed delivery of the endpoint since a time")
    .requiredOption("--since <iso>", "failed deliveries created at or after this time")
    .addHelpText("after", examples("canopy webhooks endpoints recover whe_01… --since 2026-11-30T00:00:00Z"))
    .action(async (id: string, o: { since: string }, cmd: Command) => {
      const ctx = Context.of(cmd);
      const result = await ctx.client.webhooks.endpoints.recover.mutate({ id, since: o.since });
      if (ctx.options.json) ctx.show(result);
      else process.stdout.write(`${result.queued}\n`);
    });
  endpoints
    .command("send-test <id>")
    .description("Send a test event to the endpoint now and show the attempt")
    .option("--type <type>", "the event type to send", "webhook.test")
    .addHelpText(
      "after",
      examples("canopy webhooks endpoints send-test whe_01…", "canopy webhooks endpoints send-test whe_01… --type order.completed --json"),
    )
    .action(async (id: string, o: { type: string }, cmd: Command) => {
      const ctx = Context.of(cmd);
      type Input = Parameters<typeof ctx.client.webhooks.endpoints.sendTest.mutate>[0];
      const delivery = await ctx.client.webhooks.endpoints.sendTest.mutate({ id, type: o.type as Input["type"] });
      if (ctx.options.json) return ctx.show(delivery);
      ctx.show(delivery);
      if (delivery.status !== "succeeded") throw new CliError(`the test delivery ${delivery.status}`);
    });
}

const DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;

function deliveryCommands(deliveries: Command): void {
  withPaging(deliveries.command("list"))
    .description("List deliveries, newest first")
    .option("--endpoint <id>", "to one endpoint")
    .option("--event <id>", "of one event")
    .option("--status <status>", DELIVERY_STATUSES.join(" | "), choice(DELIVERY_STATUSES))
    .option("--subtree", "to the endpoints of every account in your reach, not only your own account's")
    .addHelpText(
      "after",
      examples(
        "canopy webhooks deliveries list --status failed",
        "canopy webhooks deliveries list --subtree --status failed",
        "canopy webhooks deliveries list --endpoint whe_01… --all --json",
      ),
    )
    .action(
      async (
        o: PagingOptions & { endpoint?: string; event?: string; status?: (typeof DELIVERY_STATUSES)[number]; subtree?: boolean },
        cmd: Command,
      ) => {
        const ctx = Context.of(cmd);
        const rows = await collect(o, (cursor, limit) =>
          ctx.client.webhooks.deliveries.list.query({
            cursor,
            limit,
            endpointId: o.endpoint,
            eventId: o.event,
            status: o.status,
            scope: o.subtree ? "subtree" : "own",
          }),
        );
        ctx.list(rows, [
          { header: "id", value: (d) => d.id },
          { header: "event", value: (d) => d.eventType },
          { header: "status", value: (d) => d.status },
          { header: "attempts", value: (d) => d.attempts },
          { header: "owner", value: (d) => d.account.name },
          { header: "endpoint", value: (d) => d.endpointId },
          { header: "created", value: (d) => d.createdAt },
        ]);
      },
    );
  deliveries
    .command("get <id>")
    .description("Show one delivery with its attempts")
    .addHelpText("after", examples("canopy webhooks deliveries get dlv_01… --json"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      ctx.show(await ctx.client.webhooks.deliveries.get.query({ id }));
    });
  deliveries
    .command("retry <id>")
    .description("Send a failed delivery again")
    .addHelpText("after", examples("canopy webhooks deliveries retry dlv_01…"))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = Context.of(cmd);
      const delivery = await ctx.client.webhooks.deliveries.retry.mutate({ id });
      if (ctx.options.json) ctx.show(delivery);
      else notice(`Delivery ${id} queued again`);
    });
}

function listenCommand(webhooks: Command): void {
  webhooks
    .command("listen")
    .description("Stream your events live and POST each one, signed with a local secret, to a URL on your machine")
    .requiredOption("--forward-to <url>", "where to POST each event, e.g. http://localhost:4000/hook")
    .option("--events <types>", "only these event types (comma-separated)", list)
    .option("--secret <whsec>", "sign with this secret instead of a new one")
    .addHelpText(
      "after",
      `${examples("canopy webhooks listen --forward-to http://localhost:4000/hook", "canopy webhooks listen --forward-to http://localhost:4000/hook --events order.completed,subscription.activated")}
Prints the signing secret (whsec_…) first; verify with it as with an endpoint's secret. One line per event:
  <time>  <event type>  <event id>  → <receiver's status>`,
    )
    .action(async (o: { forwardTo: string; events?: string[]; secret?: string }, cmd: Command) => {
      const ctx = Context.of(cmd);
      if (!/^https?:\/\//.test(o.forwardTo)) throw new UsageError("--forward-to must be an http(s) URL");
      const secret = o.secret ?? newSecret();
      if (!/^whsec_[A-Za-z0-9+/=]+$/.test(secret)) throw new UsageError("--secret must look like whsec_<base64>");
      process.stderr.write(`Signing secret: ${secret}\n`);
      type Input = Extract<Parameters<typeof ctx.client.events.stream.subscribe>[0], object>;
      // Forwarded one at a time, in the order the stream gives them.
      let queue = Promise.resolve();
      const forward = (event: StreamedEvent) => {
        queue = queue.then(async () => {
          const line = `${new Date().toISOString()}  ${event.type}  ${event.id}`;
          try {
            const status = await forwardEvent(o.forwardTo, secret, event);
            process.stdout.write(`${line}  → ${status}\n`);
          } catch (error) {
            process.stdout.write(`${line}  → failed: ${(error as Error).message}\n`);
          }
        });
      };
      await new Promise<void>((resolve, reject) => {
        const subscription = ctx.client.events.stream.subscribe({ types: o.events as Input["types"] } as Input, {
          onStarted: () => process.stderr.write(`Ready: forwarding your events to ${o.forwardTo} (^C to stop)\n`),
          onData: (message) => forward(message.data as StreamedEvent),
          onError: (error) => {
            subscription.unsubscribe();
            reject(error);
          },
          onComplete: () => resolve(),
        });
        const stop = () => {
          subscription.unsubscribe();
          queue.then(() => resolve());
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });
}
