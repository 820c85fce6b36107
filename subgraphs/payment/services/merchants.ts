import type { Clock } from '../../../lib/clock.js';
import type { Em } from '../../../lib/database.js';
import { fail } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { displayPrefix, generateApiKey, hashApiKey } from '../../../lib/api-key.js';
import type { Principal } from '../../../lib/principal.js';
import { ApiKey } from '../entities/ApiKey.js';
import { Merchant } from '../entities/Merchant.js';
import { assertAdmin } from './access.js';
import { selectPlain } from '../../../lib/plain-rows.js';

export interface IssuedApiKey {
  apiKey: string;
  role: 'MERCHANT' | 'ANALYST';
  merchant: Merchant | null;
}

/** Merchants and their API keys. A key is shown once, when issued; only its hash is kept. */
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
      const apiKey = this.issue(tx, 'MERCHANT', merchant.id, now);
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
      const apiKey = this.issue(tx, input.role, merchant?.id ?? null, this.clock.now());
      return { apiKey, role: input.role, merchant };
    });
  }

  /** The principal of a key, by the key's hash; null when no such key exists. */
  async principalForKeyHash(keyHash: string): Promise<Principal | null> {
    const em = this.em.fork();
    const [key] = await selectPlain(em, ApiKey, em.createQueryBuilder(ApiKey).select('*').where({ keyHash }).limit(1));
    return key ? { role: key.role, merchantId: key.merchantId ?? null, keyId: key.id } : null;
  }

  private issue(tx: Em, role: 'MERCHANT' | 'ANALYST', merchantId: string | null, now: Date): string {
    const apiKey = generateApiKey();
    tx.create(ApiKey, {
      id: newId('key', now.getTime()),
      keyHash: hashApiKey(apiKey),
      keyPrefix: displayPrefix(apiKey),
      role,
      merchantId,
      createdAt: now,
    });
    return apiKey;
  }
}
