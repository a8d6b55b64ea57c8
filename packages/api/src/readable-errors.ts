import type { ZodError } from "zod";

type Issue = ZodError["issues"][number];

/** What a caller reads of invalid input: one line naming each field and rule, and the reasons by dotted path. */
export interface InputProblems {
  /** `contact.email: invalid email address; items.0.quantity: too small: expected number to be >=1` */
  message: string;
  /** Reasons by dotted path (`contact.email`, `items.0.quantity`). */
  fieldErrors: Record<string, string[]>;
  /** Reasons about the input as a whole (an unknown key at the top level, a missing body). */
  formErrors: string[];
}

/**
 * Flattens a union's failure to the branch the caller most likely meant (the one with the fewest
 * problems), so `{mpn, quantity: 0}` is told about `quantity`, not about a missing `subscriptionId`.
 */
function leaves(issue: Issue, prefix: PropertyKey[]): { path: PropertyKey[]; message: string }[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const best = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
    if (best.length > 0) return best.flatMap((inner) => leaves(inner, path));
  }
  const text = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  return [{ path, message: text }];
}

export function inputProblems(error: ZodError): InputProblems {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  const lines: string[] = [];
  for (const issue of error.issues) {
    for (const { path, message } of leaves(issue, [])) {
      const key = path.map(String).join(".");
      if (key) fieldErrors[key] = [...(fieldErrors[key] ?? []), message];
      else formErrors.push(message);
      lines.push(key ? `${key}: ${message}` : message);
    }
  }
  return { message: lines.join("; ") || "invalid input", fieldErrors, formErrors };
}
