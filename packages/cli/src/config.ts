// Named profiles in the user's config directory: $XDG_CONFIG_HOME/canopy/config.json (default
// ~/.config/canopy), the directory 0700 and the file 0600 since they hold API keys and session tokens.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { CliError } from "./errors";

export interface Profile {
  url: string;
  /** An API key, or a session token from `canopy login --email`. */
  token: string;
  kind: "apiKey" | "session";
  email?: string;
  expiresAt?: string;
}

interface ConfigFile {
  current?: string;
  profiles: Record<string, Profile>;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "canopy", "config.json");
}

export function readConfig(path = configPath()): ConfigFile {
  if (!existsSync(path)) return { profiles: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<ConfigFile>;
    return { current: parsed.current, profiles: parsed.profiles ?? {} };
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

export function writeConfig(config: ConfigFile, path = configPath()): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  // Written beside and renamed, so a reader never sees half a file and the mode holds from the start.
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

export function saveProfile(name: string, profile: Profile, makeCurrent = true): string {
  const path = configPath();
  const config = readConfig(path);
  config.profiles[name] = profile;
  if (makeCurrent || !config.current) config.current = name;
  writeConfig(config, path);
  return path;
}

export function removeProfile(name: string): Profile | undefined {
  const path = configPath();
  const config = readConfig(path);
  const profile = config.profiles[name];
  if (!profile) return undefined;
  delete config.profiles[name];
  if (config.current === name) config.current = Object.keys(config.profiles)[0];
  writeConfig(config, path);
  return profile;
}

/** The profile's name: --profile, then CANOPY_PROFILE, then the one last logged in to, then "default". */
export function profileName(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.CANOPY_PROFILE ?? readConfig().current ?? "default";
}

/** Where to call and with what: CANOPY_URL and CANOPY_API_KEY override the profile's. */
export function resolveCredentials(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): { url: string; token: string } {
  const name = profileName(flag, env);
  const profile = readConfig().profiles[name];
  const url = env.CANOPY_URL ?? profile?.url;
  const token = env.CANOPY_API_KEY ?? profile?.token;
  if (!url || !token) {
    const why = profile ? `profile "${name}" is incomplete` : `no profile "${name}"`;
    throw new CliError(`${why}: run \`canopy login\`, or set CANOPY_URL and CANOPY_API_KEY`);
  }
  return { url, token };
}
