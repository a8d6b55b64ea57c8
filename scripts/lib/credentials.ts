import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * What `npm start` generates once and keeps under the data folder, readable by the owner only:
 * the embedded database's password and port, the provider's bootstrap API key (so `npm run
 * demo` and other automation can call the API) and where the running instance answers.
 */
export interface Credentials {
  bootstrapApiKey: string;
  postgres: { password: string; port?: number };
  /** The BullMQ prefix of this instance's queues. */
  queuePrefix?: string;
  apiUrl?: string;
  workerMetricsUrl?: string;
}

export const credentialsPath = (dataDir: string) => join(dataDir, "credentials.json");

export async function readCredentials(dataDir: string): Promise<Credentials | undefined> {
  try {
    return JSON.parse(await readFile(credentialsPath(dataDir), "utf8")) as Credentials;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function writeCredentials(dataDir: string, credentials: Credentials): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const path = credentialsPath(dataDir);
  await writeFile(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600); // writeFile's mode applies only when it creates the file
}

export const newQueuePrefix = () => `canopy-${randomBytes(4).toString("hex")}`;

/** The stored credentials, or fresh ones on the first start. */
export async function loadOrCreateCredentials(dataDir: string): Promise<{ credentials: Credentials; created: boolean }> {
  const existing = await readCredentials(dataDir);
  if (existing) return { credentials: existing, created: false };
  const credentials: Credentials = {
    bootstrapApiKey: `cnp_boot_${randomBytes(32).toString("base64url")}`,
    postgres: { password: randomBytes(18).toString("base64url") },
    queuePrefix: newQueuePrefix(),
  };
  await writeCredentials(dataDir, credentials);
  return { credentials, created: true };
}
