// vitest globalSetup shared by every package whose tests touch Postgres.
import { prepareTemplateDatabase } from "./testing";

export default async function setup(): Promise<void> {
  await prepareTemplateDatabase();
}
