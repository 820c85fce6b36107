import type { EventEnvelope } from '../../lib/events/event.js';
import type { Principal } from '../../lib/principal.js';
import type { EventFeed } from './event-feed.js';
import type { EventOutcome } from './event-retry.js';
import type { SubscriptionMember } from './member.js';
import type { PlannedSubscription } from './planner.js';

/** What makes two subscriptions interchangeable: the same operation, variables and visibility. */
export interface GroupSpec {
  query: string;
  operationName: string | undefined;
  /** without `after`: where a subscriber resumes does not change what each event yields */
  variables: Record<string, unknown>;
  principal: Principal;
  paymentId: string | null;
  planned: PlannedSubscription;
}

/** An event's execution for a group, retries included; never rejects (see resolveEvent). */
export type ExecuteEvent = (spec: GroupSpec, event: EventEnvelope) => Promise<EventOutcome>;

interface Group {
  members: Set<SubscriptionMember>;
  stopListening: () => void;
}

/** Whom a principal's subscriptions may see: its merchant's events, or every merchant's (ADMIN). */
const visibleMerchant = (principal: Principal): string | null => (principal.role === 'ADMIN' ? null : principal.merchantId);

/**
 * Deduplication: subscribers with the same spec form a group, and each event the group may see is
 * executed once for all of them; every member gets the same outcome.
 */
export class SubscriptionGroups {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly feed: EventFeed,
    private readonly execute: ExecuteEvent,
  ) {}

  /** adds the member to its group (created on first use); the returned function takes it out again */
  join(spec: GroupSpec, member: SubscriptionMember): () => void {
    const key = groupKey(spec);
    let group = this.groups.get(key);
    if (!group) {
      const members = new Set<SubscriptionMember>();
      const stopListening = this.feed.listen(visibleMerchant(spec.principal), (event) => {
        if (spec.paymentId !== null && event.aggregateId !== spec.paymentId) return;
        const delivery = { position: event.position, occurredAt: event.occurredAt, result: this.execute(spec, event) };
        for (const receiver of members) receiver.push(delivery);
      });
      this.groups.set(key, (group = { members, stopListening }));
    }
    const joined = group;
    joined.members.add(member);
    return () => {
      joined.members.delete(member);
      if (joined.members.size === 0 && this.groups.get(key) === joined) {
        joined.stopListening();
        this.groups.delete(key);
      }
    };
  }

  get groupCount(): number {
    return this.groups.size;
  }
}

function groupKey(spec: GroupSpec): string {
  const visibility = spec.principal.role === 'ADMIN' ? 'ADMIN' : `${spec.principal.role}:${spec.principal.merchantId}`;
  return JSON.stringify([visibility, spec.operationName ?? null, spec.query, spec.variables]);
}
