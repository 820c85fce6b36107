import type { EntityMetadata, EntityName, EntityProperty, Platform } from '@mikro-orm/core';
import type { Em } from '../../../lib/database.js';

/**
 * Reads for pages and by-key lookups: rows as plain objects of the entity's type, converted the way MikroORM
 * converts them, but without hydrating entities into an identity map (most of a page's CPU). Only for what is
 * read and answered, never for what is changed and flushed.
 */
export interface PlainTable<T> {
  /** the table, schema-qualified and quoted: `"payment"."payments"` */
  table: string;
  /** `select` list of every persisted column */
  columns: string;
  /** the quoted column of a property */
  column: (property: keyof T & string) => string;
  /** a row as the database driver returns it, as the entity's plain object */
  read: (row: Record<string, unknown>) => T;
}

const tables = new WeakMap<EntityMetadata, PlainTable<unknown>>();

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function converter(prop: EntityProperty, platform: Platform): (value: unknown) => unknown {
  const { customType } = prop;
  if (customType) return (value) => (value === null || value === undefined ? null : customType.convertToJSValue(value, platform));
  // SQLite keeps dates as milliseconds; PostgreSQL's driver already gives Date
  if (prop.runtimeType === 'Date') return (value) => (value === null || value === undefined ? null : value instanceof Date ? value : new Date(value as number | string));
  return (value) => (value === undefined ? null : value);
}

export function plainTable<T extends object>(em: Em, entity: EntityName<T>): PlainTable<T> {
  const meta = em.getMetadata().get<T>(entity);
  const known = tables.get(meta as EntityMetadata) as PlainTable<T> | undefined;
  if (known) return known;
  const platform = em.getPlatform();
  const schema = meta.schema ?? em.config.get('schema');
  const props = Object.values<EntityProperty<T>>(meta.properties).filter((prop) => prop.persist !== false && prop.fieldNames?.length === 1);
  const fields = props.map((prop) => ({ name: String(prop.name), field: prop.fieldNames[0]!, convert: converter(prop as EntityProperty, platform) }));
  const byProperty = new Map<string, string>(fields.map((field) => [field.name, quote(field.field)]));
  const table: PlainTable<T> = {
    table: schema ? `${quote(schema)}.${quote(meta.tableName)}` : quote(meta.tableName),
    columns: fields.map((field) => quote(field.field)).join(', '),
    column: (property) => {
      const column = byProperty.get(property);
      if (!column) throw new Error(`${meta.className} has no column for ${property}`);
      return column;
    },
    read: (row) => {
      const plain: Record<string, unknown> = {};
      for (const { name, field, convert } of fields) plain[name] = convert(row[field]);
      return plain as T;
    },
  };
  tables.set(meta as EntityMetadata, table);
  return table;
}

/** A parameter for a date column: SQLite compares milliseconds. */
export function dateParameter(em: Em, date: Date): unknown {
  return em.getPlatform().processDateProperty(date);
}

/** Rows of `table` by `select … where <where>`, as plain objects, in the caller's transaction if any. */
export async function selectPlain<T>(em: Em, table: PlainTable<T>, where: string, parameters: unknown[], tail = ''): Promise<T[]> {
  const rows = await em.execute<Record<string, unknown>[]>(`select ${table.columns} from ${table.table} where ${where}${tail ? ` ${tail}` : ''}`, parameters, 'all');
  return rows.map(table.read);
}

/** `?, ?, ?` for a list of parameters (never empty: DataLoader batches hold at least one key). */
export const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');
