import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { redisAnswers, startPrivateRedis } from "../lib/redis";

let dir = "";
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

// What `npm start` falls back to when no Redis answers at the default address.
describe("private redis-server", () => {
  it("starts on a free port with its data under the data folder, and stops with a snapshot", async () => {
    dir = await mkdtemp(join(tmpdir(), "canopy-redis-"));
    await chmod(dir, 0o755);
    const redis = await startPrivateRedis(dir);
    if (!redis) throw new Error("redis-server is not installed here");
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await redisAnswers(redis.url)).toBe(true);
    await redis.stop();
    expect(await redisAnswers(redis.url)).toBe(false);
    expect((await stat(join(dir, "redis", "dump.rdb"))).isFile()).toBe(true);
  });

  it("says no when nothing answers", async () => {
    expect(await redisAnswers("redis://127.0.0.1:1")).toBe(false);
  });
});
