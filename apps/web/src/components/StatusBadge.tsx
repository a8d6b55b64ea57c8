import { Badge } from "@mantine/core";
import { humanise } from "../lib/format";

const colours: Record<string, string> = {
  active: "canopy",
  completed: "canopy",
  succeeded: "canopy",
  published: "canopy",
  enabled: "canopy",
  submitted: "blue",
  processing: "blue",
  pending: "blue",
  draft: "gray",
  creditHold: "yellow",
  adminHold: "orange",
  suspended: "orange",
  disabled: "gray",
  retired: "gray",
  cancelled: "gray",
  terminated: "gray",
  error: "red",
  failed: "red",
};

export function StatusBadge({ status }: { status: string }) {
  // At its text's width: a table squeezing its columns would otherwise cut the word short ("Fai…").
  return (
    <Badge color={colours[status] ?? "gray"} variant="light" data-status={status} miw="max-content">
      {humanise(status)}
    </Badge>
  );
}
