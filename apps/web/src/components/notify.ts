import { notifications } from "@mantine/notifications";
import { errorMessage } from "../lib/errors";

const dismiss = { "aria-label": "Dismiss" };

export const notifySuccess = (message: string) =>
  notifications.show({ color: "canopy", message, autoClose: 4000, closeButtonProps: dismiss });
export const notifyError = (title: string, message: string) =>
  notifications.show({ color: "red", title, message, autoClose: 8000, closeButtonProps: dismiss });

/**
 * Runs a change the person asked for and says how it went: `done` when it worked, `failed` with
 * the API's reason when it did not. Resolves to the change's result, or undefined after a failure.
 */
export async function attempt<T>(
  run: () => Promise<T>,
  said: { done: string | ((result: T) => string); failed: string },
): Promise<T | undefined> {
  try {
    const result = await run();
    notifySuccess(typeof said.done === "string" ? said.done : said.done(result));
    return result;
  } catch (error) {
    notifyError(said.failed, errorMessage(error));
    return undefined;
  }
}
