import type { UseFormReturnType } from "@mantine/form";
import { fieldErrorsOf } from "./errors";

/**
 * Puts the API's per-field reasons next to the form fields they belong to. Returns whether any
 * field took one, so the caller shows a general message otherwise.
 */
export function applyFieldErrors(
  form: Pick<UseFormReturnType<Record<string, unknown>>, "setErrors">,
  error: unknown,
  rename: Record<string, string> = {},
): boolean {
  const errors = fieldErrorsOf(error, rename);
  if (Object.keys(errors).length === 0) return false;
  form.setErrors(errors);
  return true;
}
