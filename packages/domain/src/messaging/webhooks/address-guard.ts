import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

/**
 * The SSRF guard of docs/webhooks.md. Endpoint URLs are outsiders' input that our servers will call, so
 * an address must be public unicast. Private, loopback and unique-local ranges are allowed only
 * when configuration says so (tests, local development); link-local (cloud metadata at
 * 169.254.169.254, fe80::/10), unspecified, multicast, broadcast, reserved and the IPv6
 * translation ranges that can smuggle any IPv4 address are refused always.
 */
const ALLOWABLE_RANGES = new Set(["loopback", "private", "uniqueLocal", "carrierGradeNat"]);

export type AddressVerdict = { ok: true } | { ok: false; reason: string };

export function checkAddress(address: string, opts: { allowPrivate: boolean }): AddressVerdict {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, ""));
  } catch {
    return { ok: false, reason: `${address} is not an IP address` };
  }
  // ::ffff:a.b.c.d is the IPv4 address a.b.c.d: judge it as one.
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  if (range === "unicast") return { ok: true };
  if (ALLOWABLE_RANGES.has(range)) {
    return opts.allowPrivate ? { ok: true } : { ok: false, reason: `${address} is a ${range} address` };
  }
  return { ok: false, reason: `${address} is a ${range} address, never allowed` };
}

/** Names that always mean this machine, whatever DNS says (RFC 6761). */
function isLocalhostName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost");
}

export type HostResolver = (hostname: string) => Promise<string[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Checks an endpoint URL at registration: its form, its scheme (HTTPS, or HTTP where private
 * addresses are allowed), and the addresses its host stands for. A name that does not resolve
 * yet is accepted: every delivery checks the addresses it connects to again.
 */
export async function checkEndpointUrl(raw: string, opts: { allowPrivate: boolean; resolve?: HostResolver }): Promise<AddressVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid URL" };
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && opts.allowPrivate)) {
    return { ok: false, reason: "the URL must use https" };
  }
  if (url.username || url.password) return { ok: false, reason: "the URL must not carry credentials" };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(host)) return checkAddress(host, opts);
  if (isLocalhostName(host)) return checkAddress("127.0.0.1", opts);
  let addresses: string[];
  try {
    addresses = await (opts.resolve ?? systemResolver)(host);
  } catch {
    return { ok: true };
  }
  for (const address of addresses) {
    const verdict = checkAddress(address, opts);
    if (!verdict.ok) return { ok: false, reason: `${host} resolves to ${verdict.reason.replace(/^\S+ is/, "an address that is")}` };
  }
  return { ok: true };
}
