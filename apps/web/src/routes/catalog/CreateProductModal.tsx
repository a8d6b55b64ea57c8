import { Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, TextInput } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMutation } from "@tanstack/react-query";
import { z } from "zod";
import { FormFailure } from "../../components/FormFailure";
import { notifySuccess } from "../../components/notify";
import { toMinorUnits } from "../../lib/format";
import { refreshAfter } from "../../lib/refresh";
import { useSubmit } from "../../lib/use-submit";
import { trpc } from "../../trpc";

const schema = z
  .object({
    mpn: z.string().trim().min(1, "Enter the vendor's product code"),
    name: z.string().trim().min(1, "Enter a name"),
    isvName: z.string().trim().min(1, "Enter the maker of the application"),
    connector: z.string().min(1),
    unit: z.string().trim().min(1, "Such as license or GB"),
    billingPeriod: z.enum(["month", "year"]),
    minQuantity: z.number().int().min(1, "At least 1"),
    maxQuantity: z.number().int().min(1, "At least 1"),
    price: z.string().trim().min(1, "Enter the list price"),
    currency: z.string().regex(/^[A-Z]{3}$/, "Three capital letters, such as USD"),
  })
  .refine((v) => v.maxQuantity >= v.minQuantity, { message: "Must be at least the minimum", path: ["maxQuantity"] })
  .refine((v) => toMinorUnits(v.price, v.currency) !== null, { message: "Enter an amount such as 12.50", path: ["price"] });

export function CreateProductModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const form = useForm({
    mode: "uncontrolled",
    initialValues: {
      mpn: "",
      name: "",
      isvName: "",
      connector: "demo",
      unit: "license",
      billingPeriod: "month" as "month" | "year",
      minQuantity: 1,
      maxQuantity: 1000,
      price: "",
      currency: "USD",
    },
    validate: schemaResolver(schema, { sync: true }),
  });
  const { failure, onSubmit } = useSubmit(form, { msrp: "price" });
  const create = useMutation(trpc.products.create.mutationOptions());
  return (
    <Modal opened={opened} onClose={onClose} title="New product" size="lg">
      <form
        noValidate
        onSubmit={onSubmit(async ({ price, currency, ...values }) => {
          const product = await create.mutateAsync({ ...values, msrp: { amount: toMinorUnits(price, currency) ?? 0, currency } });
          await refreshAfter("product");
          notifySuccess(`${product.name} is created as a draft.`);
          form.reset();
          onClose();
        })}
      >
        <Stack>
          <FormFailure message={failure} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="MPN" required key={form.key("mpn")} {...form.getInputProps("mpn")} />
            <TextInput label="Name" required key={form.key("name")} {...form.getInputProps("name")} />
            <TextInput label="Made by (ISV)" required key={form.key("isvName")} {...form.getInputProps("isvName")} />
            <Select
              label="Connector"
              data={["demo", "http"]}
              allowDeselect={false}
              key={form.key("connector")}
              {...form.getInputProps("connector")}
            />
            <TextInput label="Unit" required key={form.key("unit")} {...form.getInputProps("unit")} />
            <Select
              label="Billing period"
              allowDeselect={false}
              data={[
                { value: "month", label: "Monthly" },
                { value: "year", label: "Yearly" },
              ]}
              key={form.key("billingPeriod")}
              {...form.getInputProps("billingPeriod")}
            />
            <NumberInput
              label="Minimum quantity"
              min={1}
              allowDecimal={false}
              key={form.key("minQuantity")}
              {...form.getInputProps("minQuantity")}
            />
            <NumberInput
              label="Maximum quantity"
              min={1}
              allowDecimal={false}
              key={form.key("maxQuantity")}
              {...form.getInputProps("maxQuantity")}
            />
            <TextInput
              label="List price (MSRP)"
              inputMode="decimal"
              placeholder="12.50"
              required
              key={form.key("price")}
              {...form.getInputProps("price")}
            />
            <TextInput label="Currency" maxLength={3} required key={form.key("currency")} {...form.getInputProps("currency")} />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create draft
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
