import type { EntitySchema, MetadataStorage } from '@mikro-orm/core';
import type { QueryBuilder } from '@mikro-orm/knex';
import type { Em } from './database.js';

/**
 * Reads without the identity map: hot read paths only show rows, so hydrating entities (and
 * registering them for a flush that never comes) is most of their cost. A plain row has the entity's
 * property names and JS values (dates, minor units as bigint), but is no managed entity.
 */
export function plainRows<T extends object>(em: Em, entity: EntitySchema<T>, raw: readonly Record<string, unknown>[]): T[] {
  const meta = em.getMetadata().get<T>(entity.meta.className);
  const platform = em.getPlatform();
  const converted = meta.props.filter((prop) => prop.customType);
  return raw.map((row) => {
    const mapped = em.getDriver().mapResult(row as T, meta) as Record<string, unknown>;
    for (const prop of converted) {
      const value = mapped[prop.name];
      if (value !== null && value !== undefined) mapped[prop.name] = prop.customType!.convertToJSValue(value, platform);
    }
    return mapped as T;
  });
}

/** Runs a query builder's select and returns its rows plain. */
export async function selectPlain<T extends object>(em: Em, entity: EntitySchema<T>, qb: QueryBuilder<T>): Promise<T[]> {
  return plainRows(em, entity, await qb.execute<Record<string, unknown>[]>('all', { mapResults: false }));
}

/**
 * A lookup by a list of keys (a DataLoader's batch) in one statement, read plain. The query builder
 * writes its SQL once per number of keys and database; later batches of that size only bind the keys,
 * so a hot lookup costs the statement, not building it.
 */
export function keyedLookup<T extends object>(entity: EntitySchema<T>, build: (qb: QueryBuilder<T>, keys: string[]) => QueryBuilder<T>) {
  const statements = new WeakMap<MetadataStorage, Map<number, string>>();
  return async (em: Em, keys: readonly string[]): Promise<T[]> => {
    let bySize = statements.get(em.getMetadata());
    if (!bySize) statements.set(em.getMetadata(), (bySize = new Map()));
    let sql = bySize.get(keys.length);
    if (sql === undefined) {
      // knex's form (`?` placeholders), which `execute` binds on either database
      const query = build(em.createQueryBuilder(entity), [...keys]).toQuery()._sql;
      const params = query.bindings;
      // the statement is reused with other keys in their place: it must bind exactly the keys, in order
      if (params.length !== keys.length || params.some((param, i) => param !== keys[i])) throw new Error(`${entity.meta.className} lookup binds more than its keys`);
      sql = query.sql;
      bySize.set(keys.length, sql);
    }
    // through the EntityManager, so a lookup inside a transaction reads in it
    return plainRows(em, entity, await em.execute<Record<string, unknown>[]>(sql, [...keys], 'all'));
  };
}
