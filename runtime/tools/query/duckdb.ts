// DuckDB, in memory, with the project's views: loaded only by `collect query`
// (a dynamic import, so no other command pays for it, and the Lambda bundle,
// which may not reach tool code, never holds it).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LocalTable } from './local-tables.ts';
import { runFolders } from './run-folders.ts';
import { runsViewSql, tableViewSql } from './views.ts';

export interface QueryResult {
  columns: string[];
  /** DuckDB's type of each column (`VARCHAR`, `BIGINT`, `STRUCT(...)`). */
  types: string[];
  /** Row by row, column by column, as JSON: numbers, strings, booleans, null, lists and objects (64-bit integers as numbers while they fit). */
  rows: unknown[][];
}

export class QuerySession {
  private constructor(private readonly connection: DuckDBConnection) {}

  /** A session with one view per table and collect_runs over the manifests under the tables' folders. */
  static async open(tables: readonly LocalTable[]): Promise<QuerySession> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const session = new QuerySession(await instance.connect());
    const manifests: string[] = [];
    for (const table of tables) {
      const runs = await runFolders(table.root);
      await session.connection.run(
        tableViewSql(
          table,
          runs.flatMap((r) => r.parts),
        ),
      );
      for (const r of runs) if (r.manifest) manifests.push(r.manifest);
    }
    await session.connection.run(runsViewSql(manifests));
    return session;
  }

  async query(sql: string): Promise<QueryResult> {
    const reader = await this.connection.runAndReadAll(sql);
    const columns = reader.columnNames();
    const types = reader.columnTypes().map((t) => t.toString());
    const integer = types.map((t) => /^(BIGINT|HUGEINT|UBIGINT|INTEGER|SMALLINT|TINYINT)$/.test(t));
    // getRowsJson gives 64-bit integers as strings, to lose nothing; a count or an id that fits is a number.
    const rows = reader
      .getRowsJson()
      .map((row) =>
        row.map((value, i) => (integer[i] && typeof value === 'string' && Number.isSafeInteger(Number(value)) ? Number(value) : value)),
      );
    return { columns, types, rows };
  }

  close(): void {
    this.connection.closeSync();
  }
}
