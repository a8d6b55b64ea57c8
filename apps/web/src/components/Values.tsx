import { Text, type TextProps } from "@mantine/core";
import { formatDateTime, formatMoney, type Money } from "../lib/format";

export function MoneyText({ value, ...props }: { value: Money | null | undefined } & TextProps) {
  return (
    <Text span {...props} style={{ fontVariantNumeric: "tabular-nums" }}>
      {value ? formatMoney(value) : "—"}
    </Text>
  );
}

/** A moment in the viewer's time zone, with the exact instant in a tooltip-free <time> element. */
export function When({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <>—</>;
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}
