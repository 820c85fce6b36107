import type { EventResult } from './execute-event.js';
import type { SubscriptionMember } from './member.js';
import { nextMessage } from './next-message.js';
import type { SocketWriter } from './socket-writer.js';

export interface SocketDeliveryOptions {
  /** the subscription's id on its connection */
  id: string;
  member: SubscriptionMember;
  write: SocketWriter;
  /** the result's `next` payload as JSON, shared by the members of a group (next-message.ts) */
  payloadOf: (result: EventResult) => string;
  /** after each `next` written (metrics) */
  delivered?: () => void;
}

/**
 * What graphql-ws iterates for a subscription: it writes each of the member's results to the socket
 * itself, as a `next` message whose payload JSON was made once for the whole group, and yields nothing,
 * so graphql-ws never serialises a result per subscriber. Ending and failing stay graphql-ws's: when the
 * member ends, this ends (graphql-ws sends `complete`); when the member throws (an event that could not
 * be resolved), this throws (graphql-ws sends `error`), after every `next` written before it.
 * Each write is awaited before the next result is taken, as graphql-ws awaits each send.
 */
export class SocketDelivery implements AsyncIterableIterator<never> {
  constructor(private readonly options: SocketDeliveryOptions) {}

  async next(): Promise<IteratorResult<never>> {
    const { member, write, id, payloadOf } = this.options;
    for (;;) {
      const item = await member.next();
      // a member ended meanwhile (complete, disconnect) writes nothing more under its id, which the client may reuse
      if (item.done || member.isEnded) return { done: true, value: undefined };
      await write(nextMessage(id, payloadOf(item.value)));
      this.options.delivered?.();
    }
  }

  async return(): Promise<IteratorResult<never>> {
    await this.options.member.return();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<never>> {
    await this.options.member.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
