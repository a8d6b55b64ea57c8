import { createCanopyClient } from "@canopy/sdk";
import type { Command } from "commander";
import { configPath, profileName, readConfig, removeProfile, saveProfile } from "../config";
import { CliError, UsageError } from "../errors";
import { notice } from "../output";
import { prompt, readStdin } from "../prompt";

export function loginCommands(program: Command): void {
  program
    .command("login")
    .description("Save the API's URL and your credentials as a named profile")
    .option("--url <url>", "the API's base URL (or CANOPY_URL)")
    .option("--api-key <key>", "an API key (or CANOPY_API_KEY; prompted on a terminal)")
    .option("--email <email>", "log in as a user instead, with a session token")
    .option("--password-stdin", "read the password from stdin")
    .addHelpText(
      "after",
      `
Examples:
  $ canopy login --url https://api.canopy.example --api-key "$KEY"
  $ canopy login --url http://localhost:3000 --email admin@example.com      # prompts for the password
  $ echo "$PASSWORD" | canopy login --url http://localhost:3000 --email ops@example.com --password-stdin --profile ops
The profile (default "default", or --profile) is saved to ${configPath()} (mode 0600).`,
    )
    .action(async (options: { url?: string; apiKey?: string; email?: string; passwordStdin?: boolean }, command: Command) => {
      const name = profileName(command.optsWithGlobals<{ profile?: string }>().profile);
      const url = (options.url ?? process.env.CANOPY_URL ?? (await prompt("API URL: ")))?.replace(/\/+$/, "");
      if (!url || !/^https?:\/\//.test(url)) throw new UsageError("--url must be an http(s) URL");
      if (options.email) {
        const password = options.passwordStdin ? await readStdin() : await prompt("Password: ", { hidden: true });
        if (!password) throw new UsageError("no password given (use a terminal or --password-stdin)");
        const session = await createCanopyClient({ url }).auth.login.mutate({ email: options.email, password });
        const path = saveProfile(name, {
          url,
          token: session.token,
          kind: "session",
          email: options.email,
          expiresAt: String(session.expiresAt),
        });
        notice(`Logged in to ${url} as ${options.email} (session until ${session.expiresAt}); profile "${name}" saved to ${path}`);
        return;
      }
      const apiKey = options.apiKey ?? process.env.CANOPY_API_KEY ?? (await prompt("API key: ", { hidden: true }));
      if (!apiKey) throw new UsageError("give --api-key or --email (or run on a terminal to be asked)");
      const me = await createCanopyClient({ url, apiKey }).auth.whoami.query();
      const path = saveProfile(name, { url, token: apiKey, kind: "apiKey" });
      notice(`Logged in to ${url} with an API key (${me.role} of ${me.accountId}); profile "${name}" saved to ${path}`);
    });

  program
    .command("logout")
    .description("End the profile's session (if any) and forget the profile")
    .addHelpText("after", "\nExamples:\n  $ canopy logout\n  $ canopy logout --profile ops")
    .action(async (_options: unknown, command: Command) => {
      const name = profileName(command.optsWithGlobals<{ profile?: string }>().profile);
      const profile = readConfig().profiles[name];
      if (!profile) throw new CliError(`no profile "${name}"`);
      if (profile.kind === "session")
        await createCanopyClient({ url: profile.url, apiKey: profile.token })
          .auth.logout.mutate()
          .catch(() => undefined);
      removeProfile(name);
      notice(`Logged out of profile "${name}"`);
    });

  program
    .command("profiles")
    .description("List the saved profiles (* marks the current one)")
    .addHelpText("after", "\nExamples:\n  $ canopy profiles\n  $ canopy profiles --json")
    .action((_options: unknown, command: Command) => {
      const config = readConfig();
      const rows = Object.entries(config.profiles).map(([name, p]) => ({
        name,
        current: name === config.current,
        url: p.url,
        kind: p.kind,
        email: p.email ?? null,
      }));
      if (command.optsWithGlobals<{ json?: boolean }>().json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else
        for (const r of rows)
          process.stdout.write(`${r.current ? "*" : " "} ${r.name}\t${r.url}\t${r.kind}${r.email ? `\t${r.email}` : ""}\n`);
    });
}
