import { InvalidArgumentError } from "commander";

/** A whole number within bounds, or a usage error naming the option. */
export function intOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}`);
    return n;
  };
}

export function choice<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${values.join(", ")}`);
    return value as T;
  };
}

export type OrderItem = { mpn: string; quantity: number } | { subscriptionId: string; quantity?: number };

/** `--item MPN=QUANTITY` (or `sub_…=QUANTITY` for a change of an existing subscription), repeatable. */
export function orderItem(value: string, previous: OrderItem[] = []): OrderItem[] {
  const m = /^([^=\s]+)=(\d+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`"${value}": expected MPN=QUANTITY, e.g. MS-365-E3=10`);
  const quantity = Number(m[2]);
  const item: OrderItem = m[1]!.startsWith("sub_") ? { subscriptionId: m[1]!, quantity } : { mpn: m[1]!, quantity };
  return [...previous, item];
}

/** A price as `12.50` in major units → minor units (integer cents). */
export function amountOption(value: string): number {
  if (!/^\d+(\.\d{1,2})?$/.test(value)) throw new InvalidArgumentError(`"${value}": expected an amount such as 12 or 12.50`);
  return Math.round(Number(value) * 100);
}

/** A JSON object given inline or as @file. */
export async function jsonObject(value: string, readFile: (path: string) => Promise<string>): Promise<Record<string, unknown>> {
  const text = value.startsWith("@") ? await readFile(value.slice(1)) : value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`--data is not JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new InvalidArgumentError("--data must be a JSON object");
  return parsed as Record<string, unknown>;
}

export function list(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
