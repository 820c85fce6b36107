import { z } from 'zod';

/** An amount on the wire: minor units as a decimal string (JSON has no 64-bit integers); read as bigint. */
export const minorUnitsField = z
  .string()
  .regex(/^\d{1,19}$/, 'must be minor units')
  .transform((value) => BigInt(value));

/** A time on the wire: ISO-8601 (writers use toISOString); read as a Date. */
export const timestampField = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

export const idField = z.string().min(1);

export const currencyField = z.string().length(3);
