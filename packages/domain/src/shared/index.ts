// The shared kernel: what every context speaks (errors, ids, paging, the account tree, money,
// time) and the event log every change writes to in its own transaction.
export * from "./errors";
export * from "./pagination";
export { newId, type IdPrefix } from "./ids";
export { subtreeRange, isInSubtree, childPath, pathIds } from "./subtree";
export { iso } from "./time";
export { type Money, money, moneyInput, currencyCode, multiply, sum } from "./money";
export * from "./events.schema";
export { insertEvent, insertEvents, newEventRows, toEvent, type NewEvent } from "./event-log";
export { backoffDelay, withJitter } from "./backoff";
export { freeFormJsonObject, MAX_JSON_DEPTH, nestsDeeperThan } from "./json";
export { likePattern, searchPatterns, searchWords } from "./text-search";
