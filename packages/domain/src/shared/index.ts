// The shared kernel: what every context speaks (errors, ids, paging, the account tree, money,
// time) and the event log every change writes to in its own transaction.

export { backoffDelay, withJitter } from "./backoff";
export * from "./errors";
export {
  type EventActor,
  type EventOrigin,
  insertEvent,
  insertEvents,
  type NewEvent,
  newEventRows,
  sendEventWithCommit,
  systemOrigin,
  toEvent,
  type WrittenEvent,
} from "./event-log";
export * from "./events.schema";
export { type IdPrefix, newId } from "./ids";
export { freeFormJsonObject, MAX_JSON_DEPTH, nestsDeeperThan } from "./json";
export { currencyCode, type Money, money, moneyInput, multiply, sum } from "./money";
export * from "./pagination";
export { accountStatuses, deliveryStatuses, orderStatuses } from "./statuses";
export { accountIdsOnPath, childPath, isInSubtree, pathIds, subtreeRange } from "./subtree";
export { likePattern, searchWords } from "./text-search";
export { iso } from "./time";
