import { Badge } from "@mantine/core";
import type { RouterOutputs } from "../../trpc";

type Status = RouterOutputs["billing"]["statements"]["get"]["status"];

// Open: still collecting lines this month; issued: closed and fixed.
const colours: Record<Status, string> = { open: "blue", issued: "canopy" };
const labels: Record<Status, string> = { open: "Open", issued: "Issued" };

export function StatementStatus({ status }: { status: Status }) {
  return (
    <Badge color={colours[status]} variant="light" data-status={status}>
      {labels[status]}
    </Badge>
  );
}
