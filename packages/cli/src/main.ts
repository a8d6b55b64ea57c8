#!/usr/bin/env node
// The `canopy` command. Exit codes: 0 done, 1 the API refused or the operation failed, 2 wrong usage.
import { CommanderError, InvalidArgumentError } from "commander";
import { CliError, describeApiError, UsageError } from "./errors";
import { buildProgram } from "./program";

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; the parser has already printed what was wrong.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError || error instanceof InvalidArgumentError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    const api = describeApiError(error);
    if (api) {
      process.stderr.write(`error: ${api}\n`);
      return 1;
    }
    if (error instanceof CliError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
