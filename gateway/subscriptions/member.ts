import { encodeEventCursor } from '../../lib/events/event-cursor.js';
import { UnresolvedEvent, type EventOutcome } from './event-retry.js';
import type { EventResult } from './execute-event.js';
import { subscriptionInterrupted } from './resume-error.js';

/** One event for one subscriber: its place (what its cursor names) and the (possibly shared) execution of the plan for it. */
export interface Delivery {
  position: number;
  /** ISO-8601, as the event's envelope has it */
  occurredAt: string;
  /** never rejects: a failure is an UnresolvedEvent */
  result: Promise<EventOutcome>;
}

export interface MemberOptions {
  /** the cursor the client subscribed with (its last received before this subscription), null for none */
  after: string | null;
  /** deliveries a subscriber may have waiting before it counts as fallen behind */
  maxBuffered: number;
  /** the connection's socket has more waiting than it may */
  congested: () => boolean;
  /** the subscriber fell behind: close its connection (it resumes with its last cursor) */
  onOverflow: (buffered: number) => void;
  /** called once, when the subscription ends for any reason */
  onEnd: () => void;
}

/**
 * A subscriber's stream of results: replayed deliveries first, then live ones, each position at
 * most once and in ascending order, so the seam between replay and live neither skips nor repeats.
 * Hand-written rather than an async generator: `return()` (complete, disconnect) must end it at once,
 * not at the next event, so an idle subscription frees its slot and its place in the group.
 * An event that could not be resolved (or a replay page that could not be read) ends the stream
 * there with an error naming the cursor to resume after: nothing is delivered past a gap.
 */
export class SubscriptionMember implements AsyncIterableIterator<EventResult> {
  private readonly queue: Delivery[] = [];
  private waiting: ((delivery: Delivery | null) => void) | null = null;
  private replay: AsyncIterator<Delivery> | null = null;
  private lastPosition = 0;
  private lastDelivered: Delivery | null = null;
  private ended = false;

  constructor(private readonly options: MemberOptions) {}

  /** past events to deliver before the live ones (a resuming subscriber), in position order */
  startWith(replay: AsyncIterator<Delivery>): void {
    this.replay = replay;
  }

  /** a live delivery; refused (and the subscriber told to go) past maxBuffered */
  push(delivery: Delivery): void {
    if (this.ended) return;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = null;
      wake(delivery);
      return;
    }
    if (this.queue.length >= this.options.maxBuffered || this.options.congested()) {
      this.options.onOverflow(this.queue.length);
      this.end();
      return;
    }
    this.queue.push(delivery);
  }

  get buffered(): number {
    return this.queue.length;
  }

  /** completed, disconnected, fallen behind or interrupted: nothing more is delivered */
  get isEnded(): boolean {
    return this.ended;
  }

  async next(): Promise<IteratorResult<EventResult>> {
    while (!this.ended) {
      let delivery: Delivery | null;
      try {
        delivery = await this.nextDelivery();
      } catch {
        // the replay could not be read (the server has logged why)
        throw this.interrupted(null);
      }
      if (!delivery || this.ended) break;
      if (delivery.position <= this.lastPosition) continue;
      const outcome = await delivery.result;
      if (outcome instanceof UnresolvedEvent) throw this.interrupted(delivery);
      this.lastPosition = delivery.position;
      this.lastDelivered = delivery;
      return { done: false, value: outcome };
    }
    return { done: true, value: undefined };
  }

  /** Ends the stream before `failed` (unknown for a replay page): the client resumes after its last cursor. */
  private interrupted(failed: Delivery | null): Error {
    this.end();
    return subscriptionInterrupted(failed ? 'event' : 'replay', this.resumeCursor(failed));
  }

  /**
   * The last cursor this client received: of the last delivery, else the one it subscribed with; a
   * live subscriber that received nothing yet resumes just before the failed event.
   */
  private resumeCursor(failed: Delivery | null): string | null {
    const last = this.lastDelivered;
    if (last) return encodeEventCursor({ position: last.position, occurredAt: new Date(last.occurredAt) });
    if (this.options.after !== null) return this.options.after;
    if (!failed || failed.position <= 1) return null;
    return encodeEventCursor({ position: failed.position - 1, occurredAt: new Date(failed.occurredAt) });
  }

  private async nextDelivery(): Promise<Delivery | null> {
    if (this.replay) {
      const replayed = await this.replay.next();
      if (!replayed.done) return replayed.value;
      this.replay = null;
    }
    return this.queue.shift() ?? new Promise<Delivery | null>((resolve) => (this.waiting = resolve));
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.waiting?.(null);
    this.waiting = null;
    void this.replay?.return?.();
    this.replay = null;
    this.options.onEnd();
  }

  async return(): Promise<IteratorResult<EventResult>> {
    this.end();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<EventResult>> {
    this.end();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
