import { z } from 'zod';
import { developmentSecret, envBoolean, envDuration, envPort, parseEnv, subgraphEnv, type Env } from '../../lib/config-loader.js';
import { loadWechatPayConfig, type WechatPayConfig } from './channels/wechat/config.js';

const schema = z.object({
  ...subgraphEnv,
  PAYMENT_PORT: envPort.default(4001),
  SANDBOX: envBoolean.optional(),
  PAYMENT_PUBLIC_URL: z.url().optional(),
  CARD_PROVIDER_URL: z.url().optional(),
  CARD_PROVIDER_API_KEY: z.string().min(16).optional(),
  CARD_WEBHOOK_SECRET: z.string().min(16).optional(),
  IDEMPOTENCY_RETENTION: envDuration.default(24 * 3_600_000),
});

export interface PaymentConfig {
  production: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  internalSecret: string;
  sandbox: boolean;
  /** where providers send callbacks; unset: this server's own address */
  publicUrl: string | undefined;
  card: { baseUrl: string; apiKey: string; webhookSecret: string };
  /** null: WECHAT_PAY payments cannot be confirmed */
  wechatPay: WechatPayConfig | null;
  idempotencyRetentionMs: number;
}

export const DEFAULT_CARD_SIMULATOR_URL = 'http://127.0.0.1:4101';

export function loadPaymentConfig(env: Env = process.env): PaymentConfig {
  const e = parseEnv('payment subgraph', schema, env);
  const production = e.NODE_ENV === 'production';
  const required = (name: keyof typeof e, value: string | undefined, secretName: string): string => {
    if (value) return value;
    if (production) throw new Error(`payment subgraph: invalid configuration\n  ${name}: is required when NODE_ENV=production`);
    return developmentSecret(e.DATA_DIR, secretName);
  };
  const sandbox = e.SANDBOX ?? !production;
  if (!sandbox && !e.CARD_PROVIDER_URL) {
    throw new Error('payment subgraph: invalid configuration\n  CARD_PROVIDER_URL: is required when SANDBOX is off');
  }
  return {
    production,
    port: e.PAYMENT_PORT,
    host: e.SUBGRAPH_HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    internalSecret: required('INTERNAL_SECRET', e.INTERNAL_SECRET, 'internal-secret'),
    sandbox,
    publicUrl: e.PAYMENT_PUBLIC_URL,
    card: {
      baseUrl: e.CARD_PROVIDER_URL ?? DEFAULT_CARD_SIMULATOR_URL,
      apiKey: required('CARD_PROVIDER_API_KEY', e.CARD_PROVIDER_API_KEY, 'card-provider-api-key'),
      webhookSecret: required('CARD_WEBHOOK_SECRET', e.CARD_WEBHOOK_SECRET, 'card-webhook-secret'),
    },
    wechatPay: loadWechatPayConfig(env, { sandbox, dataDir: e.DATA_DIR }),
    idempotencyRetentionMs: e.IDEMPOTENCY_RETENTION,
  };
}
