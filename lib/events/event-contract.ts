import type { z } from 'zod';
import type { EventEnvelope } from './event.js';

/**
 * What a producer promises of its events: for each event type, the schema of its payload. The schema's
 * input is the payload as written to the outbox and carried on the wire (amounts as decimal strings,
 * times as ISO strings); its output is what readers get once parsed (bigint, Date).
 */
export type EventContract = Readonly<Record<string, z.ZodObject>>;

export type EventType<C extends EventContract> = keyof C & string;

/** The payload of `T` as written: what the producer's typed recordEvent takes. */
export type WrittenPayload<C extends EventContract, T extends EventType<C>> = z.input<C[T]>;

/** The payload of `T` as parsed by a reader. */
export type ParsedPayload<C extends EventContract, T extends EventType<C>> = z.output<C[T]>;

/** An event whose payload is not what its producer's contract says. */
export class EventPayloadError extends Error {
  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly issues: string,
  ) {
    super(`event ${eventId} (${eventType}) has an unexpected payload: ${issues}`);
    this.name = 'EventPayloadError';
  }
}

/**
 * Reads an event's payload with a schema of its producer's contract, or a `pick` of one with the
 * fields the reader needs (fields it does not pick are neither checked nor kept).
 */
export function parseEventPayload<S extends z.ZodObject>(schema: S, event: EventEnvelope): z.output<S> {
  const result = schema.safeParse(event.payload);
  if (!result.success) throw new EventPayloadError(event.id, event.type, result.error.message);
  return result.data;
}
