import type { EventResult } from './execute-event.js';

/** Turns a `next` message's payload into JSON; injectable so tests can count how often it runs. */
export type PayloadSerializer = (payload: unknown) => string;

/**
 * A graphql-transport-ws `next` message, byte for byte what graphql-ws's stringifyMessage writes for
 * `{ id, type: 'next', payload }`, with the payload's JSON spliced in as it is: the payload is shared by
 * every member of a group, only the id is each subscriber's own.
 */
export function nextMessage(id: string, payloadJson: string): string {
  return `{"id":${JSON.stringify(id)},"type":"next","payload":${payloadJson}}`;
}

/**
 * The JSON of an event result's `next` payload, made once per result object: a group hands the same
 * result to all its members, so the payload is serialised once per group, not once per subscriber.
 * `format` shapes the result as graphql-ws's onNext hook would (errors formatted like over HTTP).
 */
export function sharedPayloads(format: (result: EventResult) => unknown, serialize: PayloadSerializer = JSON.stringify) {
  const serialized = new WeakMap<EventResult, string>();
  return (result: EventResult): string => {
    let json = serialized.get(result);
    if (json === undefined) {
      json = serialize(format(result));
      serialized.set(result, json);
    }
    return json;
  };
}
