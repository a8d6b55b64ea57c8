import { notifications } from "@mantine/notifications";

export const notifySuccess = (message: string) => notifications.show({ color: "teal", message, autoClose: 4000 });
export const notifyError = (title: string, message: string) => notifications.show({ color: "red", title, message, autoClose: 8000 });
