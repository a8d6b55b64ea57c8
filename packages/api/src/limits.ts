/**
 * The most calls one batched request may carry. A batch runs its calls at once, so without a
 * bound one anonymous request could queue hundreds of password checks; clients split larger
 * batches (httpBatchLink's `maxItems`), and the server answers 400 beyond it.
 */
export const MAX_BATCH_CALLS = 50;
