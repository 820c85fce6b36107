import type { EventResult } from './execute-event.js';

/** One event for one subscriber: its position and the (possibly shared) execution of the plan for it. */
export interface Delivery {
  position: number;
  result: Promise<EventResult>;
}

export interface MemberOptions {
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
 */
export class SubscriptionMember implements AsyncIterableIterator<EventResult> {
  private readonly queue: Delivery[] = [];
  private waiting: ((delivery: Delivery | null) => void) | null = null;
  private replay: AsyncIterator<Delivery> | null = null;
  private lastPosition = 0;
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

  async next(): Promise<IteratorResult<EventResult>> {
    while (!this.ended) {
      const delivery = await this.nextDelivery();
      if (!delivery || this.ended) break;
      if (delivery.position <= this.lastPosition) continue;
      this.lastPosition = delivery.position;
      try {
        return { done: false, value: await delivery.result };
      } catch (error) {
        this.end();
        throw error;
      }
    }
    return { done: true, value: undefined };
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
