import { JsonType, type EntityProperty, type EntitySchema } from '@mikro-orm/core';
import type { Database } from '../../lib/database.js';
import { MinorUnitsType } from '../../lib/minor-units-type.js';

/** The drivers' own connections, as knex hands them out: better-sqlite3's database, node-postgres's client. */
interface SqliteConnection {
  prepare(sql: string): { run(...values: unknown[]): unknown };
  transaction(run: () => void): () => void;
}
interface PostgresConnection {
  query(sql: string, values?: unknown[]): Promise<unknown>;
}

/** A table as the entity maps it: its name and, per column, the property it holds and its type. */
interface TableShape {
  name: string;
  columns: { property: string; column: string; type: string; toDatabase: (value: unknown) => unknown }[];
}

/** PostgreSQL takes this many rows in one statement (one array per column). */
const POSTGRES_ROWS_PER_STATEMENT = 5_000;

/**
 * Writes many rows of a subgraph's entities fast, on the driver's own connection: on SQLite one
 * prepared INSERT per table run row by row in one transaction; on PostgreSQL one INSERT … SELECT FROM
 * unnest(arrays) per few thousand rows, in one transaction. Columns and their conversions (minor
 * units, times, JSON) follow the entities' metadata, as MikroORM would write them. While it is open
 * it holds one of the database's connections: close it before using the database otherwise.
 */
export class BulkWriter {
  private readonly buffered = new Map<TableShape, unknown[][]>();
  private readonly shapes = new Map<EntitySchema<any>, TableShape>();

  private constructor(
    private readonly database: Database,
    private readonly connection: SqliteConnection | PostgresConnection,
  ) {}

  static async open(database: Database): Promise<BulkWriter> {
    const connection = (await database.fork().getKnex().client.acquireConnection()) as SqliteConnection | PostgresConnection;
    return new BulkWriter(database, connection);
  }

  /** Keeps a row for the next flush. */
  add<T extends object>(entity: EntitySchema<T>, row: T): void {
    const shape = this.shapeOf(entity);
    const values = shape.columns.map(({ property, toDatabase }) => toDatabase((row as Record<string, unknown>)[property]));
    const rows = this.buffered.get(shape);
    if (rows) rows.push(values);
    else this.buffered.set(shape, [values]);
  }

  /** Writes what was added since the last flush, in one transaction. */
  async flush(): Promise<void> {
    const tables = [...this.buffered.entries()].filter(([, rows]) => rows.length > 0);
    this.buffered.clear();
    if (tables.length === 0) return;
    if (this.database.dialect === 'sqlite') {
      const sqlite = this.connection as SqliteConnection;
      const statements = tables.map(([shape, rows]) => ({ rows, statement: sqlite.prepare(insertSql(shape, shape.columns.map(() => '?'))) }));
      sqlite.transaction(() => {
        for (const { rows, statement } of statements) for (const values of rows) statement.run(...values);
      })();
      return;
    }
    const postgres = this.connection as PostgresConnection;
    await postgres.query('begin');
    try {
      for (const [shape, rows] of tables) {
        const sql = `${insertSql(shape, [])} select * from unnest(${shape.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})`;
        for (let from = 0; from < rows.length; from += POSTGRES_ROWS_PER_STATEMENT) {
          const chunk = rows.slice(from, from + POSTGRES_ROWS_PER_STATEMENT);
          await postgres.query(sql, shape.columns.map((_c, i) => chunk.map((values) => values[i])));
        }
      }
      await postgres.query('commit');
    } catch (error) {
      await postgres.query('rollback');
      throw error;
    }
  }

  /** Gives the connection back to the database's pool. */
  async close(): Promise<void> {
    await this.database.fork().getKnex().client.releaseConnection(this.connection);
  }

  private shapeOf(entity: EntitySchema<any>): TableShape {
    const known = this.shapes.get(entity);
    if (known) return known;
    const meta = this.database.orm.getMetadata().get(entity.meta.className);
    const schema = this.database.dialect === 'postgresql' ? (meta.schema ?? this.database.orm.config.get('schema')) : undefined;
    const shape: TableShape = {
      name: schema ? `"${schema}"."${meta.tableName}"` : `"${meta.tableName}"`,
      columns: meta.props
        .filter((prop) => prop.fieldNames?.length === 1 && prop.persist !== false)
        .map((prop) => ({ property: prop.name, column: prop.fieldNames[0]!, type: prop.columnTypes[0]!, toDatabase: this.converter(prop) })),
    };
    this.shapes.set(entity, shape);
    return shape;
  }

  /** How a property's value is written: minor units and other big integers as digits, JSON as text, times as each database keeps them. */
  private converter(prop: EntityProperty): (value: unknown) => unknown {
    const sqlite = this.database.dialect === 'sqlite';
    const json = prop.customType instanceof JsonType;
    const minorUnits = prop.customType instanceof MinorUnitsType;
    return (value) => {
      if (value === null || value === undefined) return null;
      if (typeof value === 'bigint') return value.toString();
      if (minorUnits) throw new Error(`${prop.name}: minor units must be a bigint, not ${typeof value}`);
      if (json) return JSON.stringify(value);
      if (value instanceof Date) return sqlite ? value.getTime() : value.toISOString();
      return value;
    };
  }
}

const insertSql = (shape: TableShape, placeholders: string[]) =>
  `insert into ${shape.name} (${shape.columns.map((c) => `"${c.column}"`).join(', ')})${placeholders.length > 0 ? ` values (${placeholders.join(', ')})` : ''}`;
