import { Alert, Button, Group, SimpleGrid, Stack, TextInput } from "@mantine/core";
import { schemaResolver, type UseFormReturnType, useForm } from "@mantine/form";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { notifySuccess } from "../../components/notify";
import { ConflictAlert } from "../../components/States";
import { errorMessage, isConflict } from "../../lib/errors";
import { refreshAfter } from "../../lib/refresh";
import { applyFieldErrors } from "../../lib/use-form-errors";
import { type RouterOutputs, trpc } from "../../trpc";

type Account = RouterOutputs["accounts"]["get"];

export const accountDetailsSchema = z.object({
  name: z.string().trim().min(1, "Enter a name"),
  externalId: z.string().trim(),
  contact: z.object({ email: z.email("Enter an email address"), phone: z.string().trim() }),
  address: z.object({
    country: z.string().regex(/^[A-Z]{2}$/, "Two capital letters, such as US or DE"),
    city: z.string().trim(),
    line1: z.string().trim(),
    postalCode: z.string().trim(),
  }),
});
export type AccountDetails = z.infer<typeof accountDetailsSchema>;

const blankToUndefined = (text: string) => (text.trim() === "" ? undefined : text.trim());
/** Empty optional fields are left out rather than sent as "" (which the API rightly refuses). */
export function detailsToInput(values: AccountDetails) {
  return {
    name: values.name,
    contact: { email: values.contact.email, phone: blankToUndefined(values.contact.phone) },
    address: {
      country: values.address.country,
      city: blankToUndefined(values.address.city),
      line1: blankToUndefined(values.address.line1),
      postalCode: blankToUndefined(values.address.postalCode),
    },
  };
}

// tRPC's flattened zod errors name the top-level key only.
export const nestedFields = { contact: "contact.email", address: "address.country" };

export function DetailsFields({ form }: { form: Pick<UseFormReturnType<AccountDetails>, "key" | "getInputProps"> }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <TextInput label="Name" required key={form.key("name")} {...form.getInputProps("name")} />
      <TextInput
        label="External id"
        description="Your own reference, optional"
        key={form.key("externalId")}
        {...form.getInputProps("externalId")}
      />
      <TextInput label="Contact email" type="email" required key={form.key("contact.email")} {...form.getInputProps("contact.email")} />
      <TextInput label="Contact phone" key={form.key("contact.phone")} {...form.getInputProps("contact.phone")} />
      <TextInput
        label="Country"
        description="ISO code, such as US or DE"
        required
        maxLength={2}
        key={form.key("address.country")}
        {...form.getInputProps("address.country")}
      />
      <TextInput label="City" key={form.key("address.city")} {...form.getInputProps("address.city")} />
      <TextInput label="Address" key={form.key("address.line1")} {...form.getInputProps("address.line1")} />
      <TextInput label="Postal code" key={form.key("address.postalCode")} {...form.getInputProps("address.postalCode")} />
    </SimpleGrid>
  );
}

/** Edits an account's details with its version: a stale version shows a reload prompt, never overwrites. */
export function AccountForm({ account, onReload }: { account: Account; onReload: () => void }) {
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<AccountDetails>({
    mode: "uncontrolled",
    initialValues: {
      name: account.name,
      externalId: account.externalId ?? "",
      contact: { email: account.contact.email, phone: account.contact.phone ?? "" },
      address: {
        country: account.address.country,
        city: account.address.city ?? "",
        line1: account.address.line1 ?? "",
        postalCode: account.address.postalCode ?? "",
      },
    },
    validate: schemaResolver(accountDetailsSchema, { sync: true }),
  });
  const update = useMutation(trpc.accounts.update.mutationOptions());
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setFailure(null);
        try {
          const saved = await update.mutateAsync({
            id: account.id,
            version: account.version,
            ...detailsToInput(values),
            externalId: blankToUndefined(values.externalId) ?? null,
          });
          queryClient.setQueryData(trpc.accounts.get.queryKey({ id: account.id }), saved);
          await refreshAfter("account");
          form.resetDirty();
          notifySuccess("Saved.");
        } catch (error) {
          if (isConflict(error) || !applyFieldErrors(form, error, nestedFields)) setFailure(error);
        }
      })}
    >
      <Stack>
        {failure !== null &&
          (isConflict(failure) ? (
            <ConflictAlert error={failure} onReload={onReload} />
          ) : (
            <Alert color="red" role="alert">
              {errorMessage(failure)}
            </Alert>
          ))}
        <DetailsFields form={form} />
        <Group>
          <Button type="submit" loading={update.isPending}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
