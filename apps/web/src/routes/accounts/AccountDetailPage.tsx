import { getRouteApi } from "@tanstack/react-router";
import { AccountView } from "./AccountView";

const route = getRouteApi("/_app/accounts/$accountId");

export function AccountDetailPage() {
  const { accountId } = route.useParams();
  return <AccountView key={accountId} accountId={accountId} />;
}
