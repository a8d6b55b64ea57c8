import { describe, expect, it } from "vitest";
import { FairSlots } from "./fair-slots";

/** A task that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("FairSlots", () => {
  it("runs at most `limit` tasks and gives the next slot to the clients in turn", async () => {
    const slots = new FairSlots(1, 100);
    const order: string[] = [];
    const first = gate();
    const running = slots.run("flood", async () => {
      order.push("flood-0");
      await first.opened;
    });
    const tasks = [
      ...Array.from({ length: 5 }, (_, i) => slots.run("flood", async () => void order.push(`flood-${i + 1}`))),
      slots.run("user", async () => void order.push("user")),
    ];
    expect(slots.load).toEqual({ active: 1, waiting: 6 });
    first.open();
    await Promise.all([running, ...tasks]);
    // The flood's queue came first, but the user's task came second, not last.
    expect(order).toEqual(["flood-0", "flood-1", "user", "flood-2", "flood-3", "flood-4", "flood-5"]);
    expect(slots.load).toEqual({ active: 0, waiting: 0 });
  });

  it("refuses a client more waiting tasks than allowed, and frees the slot of a task that failed", async () => {
    const slots = new FairSlots(1, 2);
    const busy = gate();
    const running = slots.run("a", async () => {
      await busy.opened;
      throw new Error("the task failed");
    });
    const queued = [slots.run("a", async () => 1), slots.run("a", async () => 2)];
    await expect(slots.run("a", async () => 3)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const other = slots.run("b", async () => "b"); // another client still gets in line
    busy.open();
    await expect(running).rejects.toThrow("the task failed");
    expect(await Promise.all([...queued, other])).toEqual([1, 2, "b"]);
    expect(slots.load).toEqual({ active: 0, waiting: 0 });
  });
});
