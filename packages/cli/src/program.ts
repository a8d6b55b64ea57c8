import { Command } from "commander";
import { billingCommands, usageCommands } from "./commands/billing";
import { priceCommands, productCommands } from "./commands/catalog";
import { orderCommands, subscriptionCommands } from "./commands/commerce";
import { accountCommands, apiKeyCommands, userCommands } from "./commands/identity";
import { loginCommands } from "./commands/login";
import { webhookCommands } from "./commands/webhooks";

declare const CLI_VERSION: string | undefined;

export function buildProgram(): Command {
  const program = new Command("canopy")
    .description("The Canopy marketplace API from the command line")
    .version(typeof CLI_VERSION === "string" ? CLI_VERSION : "dev")
    .option("-p, --profile <name>", "the saved profile to use (or CANOPY_PROFILE)")
    .option("--json", "print JSON, for scripts")
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      `
Examples:
  $ canopy login --url https://api.canopy.example --api-key "$KEY"
  $ canopy accounts list --type customer
  $ canopy orders place --item MS-365-E3=10 --account acc_01… --wait
  $ canopy orders list --json --all | jq '.[].id'
  $ canopy webhooks listen --forward-to http://localhost:4000/hook

Environment: CANOPY_URL and CANOPY_API_KEY override the profile's; CANOPY_PROFILE picks one.
Exit codes: 0 done, 1 the API refused or the operation failed (message on stderr), 2 wrong usage.`,
    );
  loginCommands(program);
  accountCommands(program);
  userCommands(program);
  apiKeyCommands(program);
  productCommands(program);
  priceCommands(program);
  orderCommands(program);
  subscriptionCommands(program);
  webhookCommands(program);
  billingCommands(program);
  usageCommands(program);
  // Every command (and sub-group) reports usage errors through main's exit codes.
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const command of all(program)) command.exitOverride();
  return program;
}
