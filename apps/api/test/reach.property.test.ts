import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, codeOf, startApi } from "./harness";

/**
 * Over random hierarchies: no actor reads or changes anything outside its reach. Each run builds
 * a fresh random tree under the provider, then checks every (actor, target) pair.
 */
let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

// A tree as a list of nodes; node i hangs below an earlier reseller (or the provider, -1).
const treeShape = fc.array(fc.record({ reseller: fc.boolean(), parentPick: fc.nat() }), { minLength: 2, maxLength: 7 }).map((nodes) => {
  const resellers: number[] = [];
  return nodes.map((node, i) => {
    const choices = [-1, ...resellers];
    const parent = choices[node.parentPick % choices.length]!;
    if (node.reseller) resellers.push(i);
    return { type: node.reseller ? ("reseller" as const) : ("customer" as const), parent };
  });
});

describe("reach over random hierarchies", () => {
  it("reads and writes succeed exactly inside the actor's subtree", async () => {
    await fc.assert(
      fc.asyncProperty(treeShape, fc.nat(), async (shape, actorPick) => {
        const nodes: { id: string; ancestors: Set<string>; type: string; client: Api["provider"]; version: number }[] = [];
        for (const node of shape) {
          const parent = node.parent === -1 ? undefined : nodes[node.parent]!;
          const made = await api.account(node.type, { vendorId: parent?.id });
          const ancestors = new Set(parent ? [...parent.ancestors, parent.id] : []);
          nodes.push({ id: made.account.id, ancestors, type: node.type, client: made.client, version: 1 });
        }
        const actor = nodes[actorPick % nodes.length]!;
        const inSubtree = (n: (typeof nodes)[number]) => n.id === actor.id || n.ancestors.has(actor.id);

        const listed = new Set((await actor.client.accounts.list.query({ limit: 200 })).items.map((a) => a.id));
        expect(listed).toEqual(new Set(nodes.filter(inSubtree).map((n) => n.id)));

        const events = await actor.client.events.list.query({ limit: 200 });
        const reach = new Set(nodes.filter(inSubtree).map((n) => n.id));
        expect(events.items.every((e) => reach.has(e.accountId))).toBe(true);

        for (const target of nodes) {
          const read = await codeOf(actor.client.accounts.get.query({ id: target.id }));
          expect(read).toBe(inSubtree(target) ? "OK" : "NOT_FOUND");

          const strictlyBelow = target.ancestors.has(actor.id);
          const ownCustomer = target.id === actor.id && actor.type === "customer";
          const update = await codeOf(actor.client.accounts.update.mutate({ id: target.id, version: target.version, name: "Changed" }));
          if (strictlyBelow || ownCustomer) {
            expect(update).toBe("OK");
            target.version += 1;
          } else {
            expect(update).toBe(inSubtree(target) ? "FORBIDDEN" : "NOT_FOUND");
          }

          const users = await codeOf(actor.client.users.list.query({ accountId: target.id }));
          expect(users).toBe(inSubtree(target) ? "OK" : "NOT_FOUND");
        }
        // Nothing outside the subtree changed.
        for (const target of nodes.filter((n) => !inSubtree(n))) {
          const seen = await api.provider.accounts.get.query({ id: target.id });
          expect(seen.version).toBe(target.version);
        }
      }),
      { numRuns: 12 },
    );
  });
});
