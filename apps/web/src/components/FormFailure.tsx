import { Alert } from "@mantine/core";

/** Why a form's submission failed, when the reason belongs to no one field. */
export function FormFailure({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert">
      {message}
    </Alert>
  );
}
