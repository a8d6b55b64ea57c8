import { DomainError } from "@canopy/domain/shared";
import { describe, expect, it } from "vitest";
import { resolveOrderRequest } from "./order-request";

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return "OK";
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
};

describe("order requests", () => {
  it("settles the type from the items", () => {
    expect(resolveOrderRequest({ items: [{ mpn: "A", quantity: 1 }] }, "acc_1").type).toBe("sales");
    expect(resolveOrderRequest({ items: [{ subscriptionId: "sub_1", quantity: 2 }] }, "acc_1").type).toBe("change");
    expect(resolveOrderRequest({ items: [{ subscriptionId: "sub_1" }] }, "acc_1").type).toBe("cancellation");
    expect(resolveOrderRequest({ type: "renewal", items: [{ subscriptionId: "sub_1" }] }, "acc_1").type).toBe("renewal");
  });

  it("refuses items that do not fit the type", () => {
    const bad = [
      { items: [{ mpn: "A", quantity: 1 }, { subscriptionId: "sub_1" }] },
      { type: "change" as const, items: [{ mpn: "A", quantity: 1 }] },
      { type: "sales" as const, items: [{ subscriptionId: "sub_1", quantity: 1 }] },
      { type: "change" as const, items: [{ subscriptionId: "sub_1" }] },
      { type: "cancellation" as const, items: [{ subscriptionId: "sub_1", quantity: 1 }] },
      { type: "renewal" as const, items: [{ subscriptionId: "sub_1", quantity: 1 }] },
      { items: [{ subscriptionId: "sub_1" }, { subscriptionId: "sub_2" }] },
    ];
    for (const input of bad) expect(codeOf(() => resolveOrderRequest(input, "acc_1"))).toBe("BAD_REQUEST");
  });

  it("fingerprints the content: the same order hashes the same, any difference does not", () => {
    const hash = (input: Parameters<typeof resolveOrderRequest>[0], account = "acc_1") => resolveOrderRequest(input, account).hash;
    const base = {
      items: [
        { mpn: "A", quantity: 1 },
        { mpn: "B", quantity: 2 },
      ],
    };
    expect(hash(base)).toBe(
      hash({
        type: "sales",
        items: [
          { quantity: 1, mpn: "A" },
          { mpn: "B", quantity: 2 },
        ],
      }),
    );
    expect(hash(base)).not.toBe(hash(base, "acc_2"));
    expect(hash(base)).not.toBe(
      hash({
        items: [
          { mpn: "A", quantity: 1 },
          { mpn: "B", quantity: 3 },
        ],
      }),
    );
    expect(hash(base)).not.toBe(
      hash({
        items: [
          { mpn: "B", quantity: 2 },
          { mpn: "A", quantity: 1 },
        ],
      }),
    );
  });
});
