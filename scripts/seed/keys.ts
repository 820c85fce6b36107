import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../lib/clock.js';
import type { Database } from '../../lib/database.js';
import type { Principal } from '../../lib/principal.js';
import { MerchantService } from '../../subgraphs/payment/services/merchants.js';

export interface SeededKeys {
  analystKey: string;
  merchants: { merchantId: string; name: string; apiKey: string }[];
}

const admin: Principal = { role: 'ADMIN', merchantId: null, keyId: null };

/** A MERCHANT key for each merchant and one platform-wide ANALYST key, issued as createApiKey issues them (only their hashes are stored). */
export async function issueKeys(payment: Database, merchants: { id: string; name: string }[]): Promise<SeededKeys> {
  const service = new MerchantService(payment.fork(), systemClock);
  const issued: SeededKeys['merchants'] = [];
  for (const merchant of merchants) {
    const { apiKey } = await service.createApiKey(admin, { role: 'MERCHANT', merchantId: merchant.id });
    issued.push({ merchantId: merchant.id, name: merchant.name, apiKey });
  }
  const { apiKey: analystKey } = await service.createApiKey(admin, { role: 'ANALYST' });
  return { analystKey, merchants: issued };
}

/** Keeps the keys where `npm start` keeps its data, readable by the owner only: DATA_DIR/seed-keys.json. */
export function writeKeys(dataDir: string, keys: SeededKeys, about: Record<string, unknown>): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'seed-keys.json');
  writeFileSync(file, `${JSON.stringify({ ...about, ...keys }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
