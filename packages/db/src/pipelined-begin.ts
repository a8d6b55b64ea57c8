import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  PostgresDialect,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";

/**
 * A transaction's BEGIN travels with its first statement instead of costing a round trip of
 * its own: with node-postgres in pipeline mode (`new pg.Pool({ pipeline: true })`) a query is
 * written without waiting for the answer to the one before, and Kysely never has two queries of
 * its own in flight on one connection, so BEGIN is the only one that ever overlaps.
 *
 * Each pipelined query ends with its own Sync, so a failed BEGIN would not stop the statement
 * behind it. BEGIN fails only when the connection does (then the statement fails too) and
 * inside an aborted transaction (where the statement is refused as well); the statement's caller
 * is told of BEGIN's error either way. On the hot path (order → first webhook) this is one round
 * trip fewer for each of its four transactions.
 */
export class PipelinedBeginDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new PipelinedBeginDriver(super.createDriver());
  }
}

class PipelinedConnection implements DatabaseConnection {
  /** A BEGIN written but not yet answered: the next statement goes out behind it. */
  begin: Promise<unknown> | undefined;

  constructor(readonly inner: DatabaseConnection) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const begin = this.settleBegin();
    const result = this.inner.executeQuery<R>(query);
    if (begin) {
      try {
        await begin;
      } catch (error) {
        await result.catch(() => {});
        throw error;
      }
    }
    return result;
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
}

class PipelinedBeginDriver implements Driver {
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
    await c.settleBegin();
    return this.inner.commitTransaction(c.inner);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as PipelinedConnection;
    await c.settleBegin()?.catch(() => {}); // rolled back either way
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
    await c.settleBegin()?.catch(() => {});
    return this.inner.releaseConnection(c.inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
