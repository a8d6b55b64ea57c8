import type { Db } from "@canopy/db";
import {
  childPath,
  conflict,
  decodeCursor,
  insertEvent,
  isUniqueViolation,
  newId,
  notFound,
  type Page,
  pageOf,
  preconditionFailed,
} from "@canopy/domain/shared";
import { type Actor, eventOrigin } from "../access/actor";
import { permissions, readScope } from "../access/permissions";
import {
  findAccount,
  findAccountInScope,
  insertAccount,
  listAccounts as queryAccounts,
  toAccount,
  updateAccountVersioned,
} from "./accounts.repository";
import type { Account, AccountsCreateInput, AccountsListInput, AccountsSetStatusInput, AccountsUpdateInput } from "./accounts.schema";

/** Loads an account the actor can read, or NOT_FOUND. */
export async function loadAccountInReach(db: Db, actor: Actor, id: string) {
  const scope = readScope(actor);
  const row = scope ? await findAccountInScope(db, id, scope) : undefined;
  if (!row) throw notFound("account");
  return row;
}

export async function getAccount(db: Db, actor: Actor, id: string): Promise<Account> {
  return toAccount(await loadAccountInReach(db, actor, id));
}

export async function listAccounts(db: Db, actor: Actor, input: AccountsListInput): Promise<Page<Account>> {
  const scope = readScope(actor);
  if (!scope) return { items: [], nextCursor: null };
  const root = input.rootId ? await loadAccountInReach(db, actor, input.rootId) : undefined;
  const rows = await queryAccounts(db, {
    subtreeOf: root?.path ?? scope,
    vendorId: input.vendorId,
    type: input.type,
    status: input.status,
    externalId: input.externalId,
    q: input.q,
    afterPath: decodeCursor(input.cursor),
    limit: input.limit,
  });
  return pageOf(rows, input.limit, (r) => r.path, toAccount);
}

/** Call inside a transaction: the account and its `account.created` event commit together. */
export async function createAccount(db: Db, actor: Actor, input: AccountsCreateInput): Promise<Account> {
  const vendor = await loadAccountInReach(db, actor, input.vendorId ?? actor.accountId);
  permissions.createAccountUnder(actor, vendor);
  if (vendor.status === "cancelled") throw preconditionFailed("the vendor account is cancelled");
  const id = newId("acc");
  try {
    const row = await insertAccount(db, {
      id,
      type: input.type,
      name: input.name,
      vendor_id: vendor.id,
      path: childPath(vendor.path, id),
      external_id: input.externalId ?? null,
      contact: JSON.stringify(input.contact),
      address: JSON.stringify(input.address),
    });
    const account = toAccount(row);
    await insertEvent(db, { type: "account.created", origin: eventOrigin(actor), account: row, data: account });
    return account;
  } catch (error) {
    if (isUniqueViolation(error, "accounts_vendor_external_id")) {
      throw conflict(`externalId "${input.externalId}" is already used by another account of this vendor`);
    }
    throw error;
  }
}

async function staleOrMissing(db: Db, id: string): Promise<never> {
  throw (await findAccount(db, id)) ? conflict("the account was changed by someone else; reload it and retry") : notFound("account");
}

export async function updateAccount(db: Db, actor: Actor, input: AccountsUpdateInput): Promise<Account> {
  const current = await loadAccountInReach(db, actor, input.id);
  permissions.updateAccount(actor, current);
  if (current.status === "cancelled") throw preconditionFailed("a cancelled account cannot be changed");
  try {
    const row = await updateAccountVersioned(db, input.id, input.version, {
      name: input.name,
      external_id: input.externalId,
      contact: input.contact && JSON.stringify(input.contact),
      address: input.address && JSON.stringify(input.address),
    });
    if (!row) return staleOrMissing(db, input.id);
    const account = toAccount(row);
    await insertEvent(db, { type: "account.updated", origin: eventOrigin(actor), account: row, data: account });
    return account;
  } catch (error) {
    if (isUniqueViolation(error, "accounts_vendor_external_id")) {
      throw conflict(`externalId "${input.externalId}" is already used by another account of this vendor`);
    }
    throw error;
  }
}

/**
 * Changes an account's status. The effect on subscriptions (suspend on adminHold, resume on
 * return to active, terminate on cancelled) is carried out by the worker from the
 * `account.statusChanged` event, so this transaction stays short.
 */
export async function setAccountStatus(db: Db, actor: Actor, input: AccountsSetStatusInput): Promise<Account> {
  const current = await loadAccountInReach(db, actor, input.id);
  permissions.setAccountStatus(actor, current);
  if (current.status === "cancelled") throw preconditionFailed("a cancelled account cannot change status");
  if (current.status === input.status) return toAccount(current);
  const row = await updateAccountVersioned(db, input.id, input.version ?? current.version, { status: input.status });
  if (!row) return staleOrMissing(db, input.id);
  const account = toAccount(row);
  await insertEvent(db, {
    type: "account.statusChanged",
    origin: eventOrigin(actor),
    account: row,
    data: { ...account, previousStatus: current.status },
  });
  return account;
}
