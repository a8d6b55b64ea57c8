import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import { FairSlots } from "./fair-slots";

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

// scrypt is memory-hard; N=2^15, r=8 uses 32 MiB per hash (OWASP's minimum is N=2^17 at r=8
// for 128 MiB; we trade some of that for login latency on 2-core machines and say so here).
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;

/**
 * scrypt runs on libuv's thread pool (4 threads, shared with file and DNS work). A flood of
 * logins would queue hundreds of hashes there, first come first served, and every other login
 * would wait behind them. Hashes go through these slots instead: a few at a time (no more than
 * the cores), handed to the waiting clients in turn, with a bounded queue per client.
 */
const slots = new FairSlots(Math.max(1, Math.min(4, availableParallelism())), 64);

/**
 * Who a hash is done for, for the turns: the client address of a sign-in, the actor setting a
 * password. A client with too many hashes waiting gets TOO_MANY_REQUESTS.
 */
export type HashingClient = string;

/** Returns a self-describing string: scrypt$N$r$p$salt$hash (base64url). */
export async function hashPassword(password: string, client: HashingClient = "system"): Promise<string> {
  const salt = randomBytes(16);
  const hash = await slots.run(client, () => scryptAsync(password, salt, KEYLEN, PARAMS));
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), hash.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string | null, client: HashingClient = "system"): Promise<boolean> {
  // With no stored hash we still spend the same work, so the response time does not reveal
  // whether the email exists.
  const parts = (stored ?? DUMMY).split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, "base64url");
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: PARAMS.maxmem };
  const actual = await slots.run(client, () => scryptAsync(password, Buffer.from(salt, "base64url"), expected.length, options));
  return stored !== null && timingSafeEqual(actual, expected);
}

const DUMMY = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${Buffer.alloc(16).toString("base64url")}$${Buffer.alloc(KEYLEN).toString("base64url")}`;
