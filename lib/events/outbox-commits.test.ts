import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entities } from '../../subgraphs/payment/entities/index.js';
import { migrations } from '../../subgraphs/payment/migrations/index.js';
import { openSqliteTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { OutboxEvent } from './outbox.js';
import { watchOutboxCommits } from './outbox-commits.js';

let database: TestDatabase;
const woken: number[] = [];
let unwatch: () => void;

beforeAll(async () => {
  database = await openSqliteTestDatabase({ name: 'payment', entities, migrations });
  unwatch = watchOutboxCommits(database.fork(), (id) => void woken.push(id));
});
afterAll(async () => {
  unwatch();
  await database.remove();
});

const row = (aggregateId: string) => ({
  aggregateType: 'payment',
  aggregateId,
  sequence: 1,
  type: 'payment.created',
  payload: {},
  occurredAt: new Date(),
  position: null,
  publishedAt: null,
});

describe('watchOutboxCommits', () => {
  it('calls back once a transaction that wrote outbox rows commits, with the highest id it wrote', async () => {
    woken.length = 0;
    let seenInside: number[] = [];
    const ids = await database.fork().transactional(async (tx) => {
      const rows = [tx.create(OutboxEvent, row('a')), tx.create(OutboxEvent, row('b'))];
      await tx.flush();
      seenInside = [...woken];
      return rows.map((r) => r.id);
    });
    expect(seenInside).toEqual([]);
    expect(woken).toEqual([Math.max(...ids)]);
  });

  it('a nested transaction calls back when the outermost one commits', async () => {
    woken.length = 0;
    let afterInner: number[] = [];
    const id = await database.fork().transactional(async (tx) => {
      const inner = await tx.transactional(async (nested) => {
        const created = nested.create(OutboxEvent, row('c'));
        await nested.flush();
        return created.id;
      });
      afterInner = [...woken];
      return inner;
    });
    expect(afterInner).toEqual([]);
    expect(woken).toEqual([id]);
  });

  it('a flush outside any transaction calls back; a rollback does not', async () => {
    woken.length = 0;
    const em = database.fork();
    const created = em.create(OutboxEvent, row('d'));
    await em.flush();
    expect(woken).toEqual([created.id]);
    await expect(
      database.fork().transactional(async (tx) => {
        tx.create(OutboxEvent, row('e'));
        await tx.flush();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(woken).toEqual([created.id]);
  });

  it('other entities do not call back', async () => {
    woken.length = 0;
    await database.fork().transactional(async (tx) => {
      await tx.execute('select 1');
    });
    expect(woken).toEqual([]);
  });
});
