import { Select } from "@mantine/core";
import { humanise } from "../lib/format";

/** A list filter on one of a few values ("Any status" when cleared), labelled in words. */
export function ChoiceFilter<T extends string>({
  label,
  any,
  choices,
  value,
  onChange,
  width = 180,
}: {
  label: string;
  any: string;
  choices: readonly T[];
  value: T | undefined;
  onChange: (value: T | undefined) => void;
  width?: number;
}) {
  return (
    <Select
      label={label}
      placeholder={any}
      clearable
      data={choices.map((c) => ({ value: c, label: humanise(c) }))}
      value={value ?? null}
      onChange={(v) => onChange(choices.find((c) => c === v))}
      w={{ base: "100%", xs: width }}
    />
  );
}
