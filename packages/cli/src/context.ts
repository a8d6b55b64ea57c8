import { type CanopyClient, createCanopyClient } from "@canopy/sdk";
import type { Command } from "commander";
import { resolveCredentials } from "./config";
import { type Column, printJson, printRecord, printTable } from "./output";

export interface GlobalOptions {
  profile?: string;
  json?: boolean;
}

/** What every command needs: the client for the chosen profile and how to print. */
export class Context {
  #client: CanopyClient | undefined;
  constructor(readonly options: GlobalOptions) {}

  static of(command: Command): Context {
    return new Context(command.optsWithGlobals<GlobalOptions>());
  }

  get client(): CanopyClient {
    if (!this.#client) {
      const { url, token } = resolveCredentials(this.options.profile);
      this.#client = createCanopyClient({ url, apiKey: token, batch: false });
    }
    return this.#client;
  }

  show(resource: object): void {
    if (this.options.json) printJson(resource);
    else printRecord(resource as Record<string, unknown>);
  }

  list<T>(rows: T[], columns: Column<T>[]): void {
    if (this.options.json) printJson(rows);
    else printTable(rows, columns);
  }
}
