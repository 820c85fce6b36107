import { p, Type, type EntityProperty, type Platform } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

/**
 * Amounts in minor units as JS bigint. PostgreSQL stores them as bigint; SQLite as text, because its
 * driver reads integers as doubles and would round amounts beyond 2^53.
 */
export class MinorUnitsType extends Type<bigint, string> {
  override convertToDatabaseValue(value: bigint | string): string {
    return typeof value === 'bigint' ? value.toString() : value;
  }

  override convertToJSValue(value: bigint | string | number): bigint {
    return typeof value === 'bigint' ? value : BigInt(value);
  }

  override compareAsType(): string {
    return 'string';
  }

  override getColumnType(_prop: EntityProperty, platform: Platform): string {
    return platform instanceof PostgreSqlPlatform ? 'bigint' : 'text';
  }
}

/** An entity property holding minor units. */
export const minorUnits = () => p.type(MinorUnitsType).$type<bigint>();
