import { notifications } from "@mantine/notifications";

const dismiss = { "aria-label": "Dismiss" };

export const notifySuccess = (message: string) =>
  notifications.show({ color: "canopy", message, autoClose: 4000, closeButtonProps: dismiss });
export const notifyError = (title: string, message: string) =>
  notifications.show({ color: "red", title, message, autoClose: 8000, closeButtonProps: dismiss });
