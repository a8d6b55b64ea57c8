import { describe, expect, it } from "vitest";
import { checkAddress, checkEndpointUrl } from "./address-guard";

const strict = { allowPrivate: false };
const relaxed = { allowPrivate: true };

describe("the SSRF address guard", () => {
  it("allows public unicast addresses", () => {
    expect(checkAddress("93.184.216.34", strict)).toEqual({ ok: true });
    expect(checkAddress("2606:2800:220:1:248:1893:25c8:1946", strict)).toEqual({ ok: true });
  });

  it.each(["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "::1", "fd00::1", "100.64.0.1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"])(
    "refuses %s unless private addresses are allowed",
    (address) => {
      expect(checkAddress(address, strict).ok).toBe(false);
      expect(checkAddress(address, relaxed).ok).toBe(true);
    },
  );

  it.each([
    "169.254.169.254",
    "169.254.0.1",
    "fe80::1",
    "0.0.0.0",
    "::",
    "224.0.0.1",
    "255.255.255.255",
    "ff02::1",
    "240.0.0.1",
    "2002:a00:1::",
    "64:ff9b::a00:1",
    "::ffff:169.254.169.254",
  ])("refuses %s always", (address) => {
    expect(checkAddress(address, relaxed).ok).toBe(false);
  });

  it("checks URLs: scheme, credentials and the literal or resolved host", async () => {
    const resolve = async (host: string) =>
      host === "internal.example" ? ["10.1.2.3"] : host === "meta.example" ? ["169.254.169.254"] : ["93.184.216.34"];
    expect(await checkEndpointUrl("https://hooks.example/canopy", { ...strict, resolve })).toEqual({ ok: true });
    expect((await checkEndpointUrl("http://hooks.example/canopy", { ...strict, resolve })).ok).toBe(false);
    expect((await checkEndpointUrl("https://user:pw@hooks.example/", { ...strict, resolve })).ok).toBe(false);
    expect((await checkEndpointUrl("not a url", { ...strict, resolve })).ok).toBe(false);
    expect((await checkEndpointUrl("https://internal.example/", { ...strict, resolve })).ok).toBe(false);
    expect((await checkEndpointUrl("https://internal.example/", { ...relaxed, resolve })).ok).toBe(true);
    expect((await checkEndpointUrl("https://meta.example/", { ...relaxed, resolve })).ok).toBe(false);
    // URL parsing normalizes the many spellings of an IPv4 address before the check.
    expect((await checkEndpointUrl("https://0x7f.1/", { ...strict, resolve })).ok).toBe(false);
    expect((await checkEndpointUrl("https://2130706433/", { ...strict, resolve })).ok).toBe(false);
    expect((await checkEndpointUrl("https://[::ffff:a9fe:a9fe]/", { ...relaxed, resolve })).ok).toBe(false);
    expect((await checkEndpointUrl("https://localhost:8443/", { ...strict, resolve })).ok).toBe(false);
    expect((await checkEndpointUrl("http://localhost:8443/", { ...relaxed, resolve })).ok).toBe(true);
  });
});
