import {
  type Compilable,
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type Kysely,
  PostgresDialect,
  type QueryCompiler,
  type QueryResult,
  type RawBuilder,
  type TransactionSettings,
} from "kysely";
import type { Database } from "./schema";

/**
 * Transactions with fewer round trips: node-postgres in pipeline mode (`new pg.Pool({ pipeline:
 * true })`) writes a query without waiting for the answer to the one before, and Kysely never
 * has two queries of its own in flight on one connection, so this driver chooses what overlaps:
 *
 * - A transaction's BEGIN travels with its first statement.
 * - A statement can be sent ahead (`sendAhead`): written at once, with the next statement, or the
 *   COMMIT, right behind it instead of after its answer. A transaction's last writes, whose
 *   answers nothing in it needs (an event row, a fan-out), thus go out with its COMMIT, and a
 *   lock with the statement that needs it (the relay's).
 *
 * Each pipelined query ends with its own Sync, so a statement that fails does not stop the ones
 * behind it: they are refused (the transaction is aborted), and a COMMIT then answers ROLLBACK
 * without an error. So the driver waits for every statement sent ahead before the commit and, if
 * one failed, fails the commit, and any statement refused behind it, with that statement's error:
 * nothing was committed, and the caller is told why, as if the statement had been awaited. BEGIN
 * fails only when the connection does (then the statement fails too) or inside an aborted
 * transaction (where the statement is refused as well); the statement's caller is told of
 * BEGIN's error either way.
 *
 * On the path from an order to its first webhook this saves a round trip for each of its
 * transactions, and more for those that end with an event and its webhook deliveries.
 */
export class PipelinedDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new PipelinedDriver(super.createDriver());
  }
}

/** Queries handed to `sendAhead`, and where their answer goes, until a connection sends them. */
const sentAhead = new WeakMap<CompiledQuery, (answer: Promise<QueryResult<unknown>>) => void>();

/**
 * Sends a statement of `trx` now, without waiting for its answer: the transaction's next
 * statement, or its COMMIT, goes out right behind it and runs after it, in order. Await this
 * call (it returns once the statement is on its way) and read the returned answer when it is
 * needed, at the latest after the transaction: if the statement failed, the transaction fails
 * with its error and nothing is committed. Outside a transaction it is an ordinary statement.
 */
export async function sendAhead<R>(trx: Kysely<Database>, query: Compilable<R> | RawBuilder<R>): Promise<{ answer: Promise<R[]> }> {
  const compiled = "isRawBuilder" in query ? query.compile(trx) : query.compile();
  if (!trx.isTransaction) {
    const answer = trx.executeQuery(compiled).then((result) => result.rows);
    await answer;
    return { answer };
  }
  let sent: Promise<QueryResult<R>> | undefined;
  sentAhead.set(compiled, (answer) => {
    sent = answer as Promise<QueryResult<R>>;
  });
  // With this driver, answered at once with no rows: the statement is on the wire. Another
  // driver (a capture of the statements, say) runs it as usual, and that is its answer.
  const result = await trx.executeQuery(compiled);
  sentAhead.delete(compiled);
  const answer = sent ? sent.then((r) => r.rows) : Promise.resolve(result.rows);
  answer.catch(() => {}); // the commit reports its failure
  return { answer };
}

class PipelinedConnection implements DatabaseConnection {
  /** A BEGIN written but not yet answered: the next statement goes out behind it. */
  begin: Promise<unknown> | undefined;
  /** Statements sent ahead, not yet settled by the commit or the rollback. */
  ahead: Promise<unknown>[] = [];

  constructor(readonly inner: DatabaseConnection) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const handOver = sentAhead.get(query);
    if (handOver) {
      sentAhead.delete(query);
      const sent = this.inner.executeQuery<R>(query);
      sent.catch(() => {}); // awaited by the commit or the rollback
      this.ahead.push(sent);
      handOver(sent);
      return { rows: [] };
    }
    const begin = this.settleBegin();
    const result = this.inner.executeQuery<R>(query);
    try {
      await begin;
    } catch (error) {
      await result.catch(() => {});
      throw error;
    }
    try {
      return await result;
    } catch (error) {
      // Refused because a statement sent ahead of it failed: that one's error says why.
      for (const statement of this.ahead) await statement;
      throw error;
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }

  /** Takes the pending BEGIN, if any: whoever takes it waits for its answer. */
  settleBegin(): Promise<unknown> | undefined {
    const begin = this.begin;
    this.begin = undefined;
    return begin;
  }

  /** Takes the statements sent ahead: whoever takes them settles them. */
  takeAhead(): Promise<unknown>[] {
    const sent = this.ahead;
    this.ahead = [];
    return sent;
  }
}

class PipelinedDriver implements Driver {
  private readonly wrapped = new WeakMap<DatabaseConnection, PipelinedConnection>();

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let wrapper = this.wrapped.get(connection);
    if (!wrapper) {
      wrapper = new PipelinedConnection(connection);
      this.wrapped.set(connection, wrapper);
    }
    return wrapper;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = connection as PipelinedConnection;
    let statement = "begin";
    if (settings.isolationLevel || settings.accessMode) {
      statement = "start transaction";
      if (settings.isolationLevel) statement += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) statement += ` ${settings.accessMode}`;
    }
    c.begin = c.inner.executeQuery(CompiledQuery.raw(statement));
    c.begin.catch(() => {}); // awaited by the next statement, the commit or the rollback
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as PipelinedConnection;
    const sent = c.takeAhead();
    if (sent.length === 0) {
      await c.settleBegin();
      return this.inner.commitTransaction(c.inner);
    }
    // The COMMIT goes out now, behind the statements sent ahead; its answer is ROLLBACK if any
    // of them failed, so their answers decide what happened.
    const commit = this.inner.commitTransaction(c.inner);
    commit.catch(() => {});
    await c.settleBegin();
    for (const statement of sent) await statement;
    await commit;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as PipelinedConnection;
    await Promise.allSettled([c.settleBegin(), ...c.takeAhead()]); // rolled back either way
    return this.inner.rollbackTransaction(c.inner);
  }

  // Savepoints are statements of the transaction: through the wrapper, behind a pending BEGIN.
  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler["compileQuery"]): Promise<void> {
    return this.inner.savepoint!(connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler["compileQuery"]): Promise<void> {
    return this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler["compileQuery"]): Promise<void> {
    return this.inner.releaseSavepoint!(connection, name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as PipelinedConnection;
    await Promise.allSettled([c.settleBegin(), ...c.takeAhead()]);
    return this.inner.releaseConnection(c.inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
