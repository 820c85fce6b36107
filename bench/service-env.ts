import { randomBytes } from 'node:crypto';

/** The environment every service process of a benchmark shares: production mode, fresh secrets, any free port. */
export function serviceEnv(databaseUrl: string): Record<string, string> & { ADMIN_API_KEY: string; DATABASE_URL: string } {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    INTERNAL_SECRET: randomBytes(32).toString('hex'),
    ADMIN_API_KEY: `pgk_bench_admin_${randomBytes(24).toString('hex')}`,
    CARD_PROVIDER_API_KEY: randomBytes(24).toString('hex'),
    CARD_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
    SANDBOX: 'true',
    CARD_SIMULATOR_PORT: '0',
    PAYMENT_PORT: '0',
    ACCOUNTING_PORT: '0',
    PORT: '0',
    HOST: '127.0.0.1',
  };
}
