import type { UseFormReturnType } from "@mantine/form";
import { useState } from "react";
import { errorMessage } from "./errors";
import { applyFieldErrors } from "./use-form-errors";

/**
 * A form's submission: `onSubmit(send)` validates, then runs `send` with the values. The API's
 * per-field reasons go next to their fields (`rename` maps the API's field names to the form's); any other reason becomes `failure`, for the form to
 * show above its fields (FormFailure).
 */
export function useSubmit<V extends Record<string, unknown>, T>(form: UseFormReturnType<V, T>, rename: Record<string, string> = {}) {
  const [failure, setFailure] = useState<string | null>(null);
  const onSubmit = (send: (values: T) => Promise<unknown>) =>
    form.onSubmit(async (values) => {
      setFailure(null);
      try {
        await send(values);
      } catch (error) {
        if (!applyFieldErrors(form, error, rename)) setFailure(errorMessage(error));
      }
    });
  return { failure, setFailure, onSubmit };
}
