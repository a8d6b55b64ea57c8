import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp column with a database default (now()), optional on insert. */
export type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T> = ColumnType<T, string | T, string | T>;

export type AccountType = "provider" | "reseller" | "customer";
export type AccountStatus = "active" | "creditHold" | "adminHold" | "cancelled";
export type UserRole = "admin" | "service";
export type UserStatus = "active" | "disabled";

export interface Contact {
  email: string;
  phone?: string;
}
export interface Address {
  country: string;
  city?: string;
  line1?: string;
  postalCode?: string;
}

export interface AccountsTable {
  id: string;
  type: AccountType;
  name: string;
  vendor_id: string | null;
  path: string;
  status: Generated<AccountStatus>;
  external_id: string | null;
  contact: Json<Contact>;
  address: Json<Address>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface UsersTable {
  id: string;
  account_id: string;
  account_path: string;
  role: UserRole;
  email: string;
  name: string;
  status: Generated<UserStatus>;
  password_hash: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: Buffer;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  account_path: string;
  name: string;
  prefix: string;
  key_hash: Buffer;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  kind: Generated<"account" | "isv">;
  /** An ISV key's ISV (products' `isv_name`); null for account keys. */
  isv_name: string | null;
}

export interface EventsTable {
  id: string;
  type: string;
  account_id: string;
  account_path: string;
  occurred_at: DefaultedTimestamp;
  data: Json<unknown>;
  /** Outbox columns (migration 2026-11-27T02-00_outbox): insert order, and relay bookkeeping. */
  seq: Generated<number>;
  relayed_at: Timestamp | null;
  relay_seq: number | null;
  /** Who caused the event (migration 2026-12-01T02-30_event_actors; docs/events.md#who-did-it). */
  actor_type: EventActorType;
  /** The user or API key id; for the system, which part of it (`system:provisioning`, …). */
  actor_id: string | null;
  /** The X-Request-Id of the API request that caused it; null for the system's own work. */
  request_id: string | null;
}

export type EventActorType = "user" | "api_key" | "system";

export interface LoginThrottleTable {
  /** The email tried, or '*' for the address's attempts at any email. */
  email: string;
  /** The client address the attempts came from. */
  address: string;
  failures: number;
  window_started_at: DefaultedTimestamp;
}

export interface CoreTables {
  accounts: AccountsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  events: EventsTable;
  login_throttle: LoginThrottleTable;
}

export type AccountRow = Selectable<AccountsTable>;
export type NewAccountRow = Insertable<AccountsTable>;
export type AccountUpdate = Updateable<AccountsTable>;
export type UserRow = Selectable<UsersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type EventRow = Selectable<EventsTable>;
