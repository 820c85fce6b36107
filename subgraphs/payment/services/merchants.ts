import type { Clock } from '../../../lib/clock.js';
import type { Em } from '../../../lib/database.js';
import { fail } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import type { Principal } from '../../../lib/principal.js';
import { Merchant } from '../entities/Merchant.js';
import { assertAdmin } from './access.js';
import { issueApiKey, type IssuedApiKey } from './api-keys.js';

export type { IssuedApiKey };

/** Merchants and the keys issued with them (services/api-keys.ts lists, revokes and rolls keys). A key is shown once, when issued; only its hash is kept. */
export class MerchantService {
  constructor(
    private readonly em: Em,
    private readonly clock: Clock,
  ) {}

  async createMerchant(principal: Principal, input: { name: string }): Promise<{ merchant: Merchant; apiKey: string }> {
    assertAdmin(principal);
    const name = input.name.trim();
    if (name.length < 1 || name.length > 200) throw fail.badInput('input.name', 'must be 1 to 200 characters');
    return this.em.fork().transactional(async (tx) => {
      const now = this.clock.now();
      const merchant = tx.create(Merchant, { id: newId('mer', now.getTime()), name, createdAt: now });
      const apiKey = issueApiKey(tx, 'MERCHANT', merchant.id, now).apiKey;
      return { merchant, apiKey };
    });
  }

  async createApiKey(principal: Principal, input: { role: 'MERCHANT' | 'ANALYST'; merchantId?: string | null }): Promise<IssuedApiKey> {
    assertAdmin(principal);
    if (input.role === 'MERCHANT' && !input.merchantId) {
      throw fail.badInput('input.merchantId', 'is required for a MERCHANT key');
    }
    return this.em.fork().transactional(async (tx) => {
      const merchant = input.merchantId ? await tx.findOne(Merchant, { id: input.merchantId }) : null;
      if (input.merchantId && !merchant) throw fail.notFound('Merchant', input.merchantId);
      const apiKey = issueApiKey(tx, input.role, merchant?.id ?? null, this.clock.now()).apiKey;
      return { apiKey, role: input.role, merchant };
    });
  }
}
