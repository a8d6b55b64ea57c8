import { useMe } from "../../lib/use-me";
import { AccountView } from "../accounts/AccountView";

export function AccountPage() {
  const me = useMe();
  return <AccountView accountId={me.account.id} own />;
}
