import { z } from 'zod';
import { developmentSecret, envBoolean, envDuration, envPort, parseEnv, subgraphEnv, type Env } from '../../lib/config-loader.js';
import { developmentKeyPair, rsaPrivateKeyPem, rsaPublicKeyPem } from '../../lib/rsa-keys.js';

const schema = z.object({
  ...subgraphEnv,
  PAYMENT_PORT: envPort.default(4001),
  SANDBOX: envBoolean.optional(),
  PAYMENT_PUBLIC_URL: z.url().optional(),
  CARD_PROVIDER_URL: z.url().optional(),
  CARD_PROVIDER_API_KEY: z.string().min(16).optional(),
  CARD_WEBHOOK_SECRET: z.string().min(16).optional(),
  IDEMPOTENCY_RETENTION: envDuration.default(24 * 3_600_000),
  EVENT_RETENTION: envDuration.default(7 * 86_400_000),
  OUTBOX_PRUNE_INTERVAL: envDuration.default(3_600_000),
  ALIPAY_GATEWAY_URL: z.url().optional(),
  ALIPAY_APP_ID: z.string().regex(/^\d{16}$/, 'must be the 16-digit app id Alipay assigned').optional(),
  ALIPAY_PRIVATE_KEY: z.string().min(1).optional(),
  ALIPAY_PUBLIC_KEY: z.string().min(1).optional(),
  ALIPAY_NOTIFY_MAX_AGE: envDuration.default(25 * 3_600_000),
  PAYMENT_QR_TTL: envDuration.default(15 * 60_000),
  PAYMENT_RECOVERY_INTERVAL: envDuration.default(30_000),
  PAYMENT_RECOVERY_AFTER: envDuration.default(60_000),
});

export interface AlipayConfig {
  /** the gateway's URL, e.g. https://openapi.alipay.com/gateway.do */
  gatewayUrl: string;
  appId: string;
  /** our application's private key (PKCS#8 PEM): signs our requests */
  privateKey: string;
  /** Alipay's public key (SPKI PEM): verifies its answers and notifications */
  alipayPublicKey: string;
  /** notifications sent longer ago are refused as stale (Alipay retries for about 25 hours) */
  notifyMaxAgeMs: number;
}

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
  idempotencyRetentionMs: number;
  /** how long published events stay in the outbox: the oldest cursor a subscriber may resume from */
  eventRetentionMs: number;
  outboxPruneIntervalMs: number;
  /** null: the ALIPAY channel is off (production without ALIPAY_APP_ID) */
  alipay: AlipayConfig | null;
  /** how long a wallet's QR code waits for its payer before the payment expires */
  qrCodeTtlMs: number;
  /** how often the recovery job runs, and after how long without news it asks a provider */
  recoveryIntervalMs: number;
  recoveryAfterMs: number;
}

export const DEFAULT_CARD_SIMULATOR_URL = 'http://127.0.0.1:4101';
export const DEFAULT_ALIPAY_SIMULATOR_URL = 'http://127.0.0.1:4102/gateway.do';
/** the sandbox's app id; the simulator accepts requests signed for it */
export const SANDBOX_ALIPAY_APP_ID = '2021000000000001';
/** names of the sandbox key pairs under DATA_DIR/secrets: ours, and the simulated Alipay's */
export const ALIPAY_SANDBOX_KEYS = { app: 'alipay-app-key', alipay: 'alipay-simulator-key' } as const;

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
    idempotencyRetentionMs: e.IDEMPOTENCY_RETENTION,
    eventRetentionMs: e.EVENT_RETENTION,
    outboxPruneIntervalMs: e.OUTBOX_PRUNE_INTERVAL,
    alipay: alipayConfig(e, sandbox),
    qrCodeTtlMs: e.PAYMENT_QR_TTL,
    recoveryIntervalMs: Math.max(e.PAYMENT_RECOVERY_INTERVAL, 1),
    recoveryAfterMs: e.PAYMENT_RECOVERY_AFTER,
  };
}

/**
 * Production: the channel is on when ALIPAY_APP_ID is set, and then needs the gateway URL and both keys.
 * Sandbox: the simulator's address, app id and keys by default, the keys generated once under DATA_DIR.
 */
function alipayConfig(e: z.infer<typeof schema>, sandbox: boolean): AlipayConfig | null {
  const invalid = (name: string, message: string) => new Error(`payment subgraph: invalid configuration\n  ${name}: ${message}`);
  if (!sandbox && !e.ALIPAY_APP_ID) return null;
  const given = { ALIPAY_GATEWAY_URL: e.ALIPAY_GATEWAY_URL, ALIPAY_PRIVATE_KEY: e.ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY: e.ALIPAY_PUBLIC_KEY };
  for (const [name, value] of Object.entries(given)) {
    if (!sandbox && !value) throw invalid(name, 'is required when ALIPAY_APP_ID is set and SANDBOX is off');
  }
  const key = (name: string, text: string, read: (text: string) => string) => {
    try {
      return read(text);
    } catch (error) {
      throw invalid(name, error instanceof Error ? error.message : String(error));
    }
  };
  return {
    gatewayUrl: e.ALIPAY_GATEWAY_URL ?? DEFAULT_ALIPAY_SIMULATOR_URL,
    appId: e.ALIPAY_APP_ID ?? SANDBOX_ALIPAY_APP_ID,
    privateKey: e.ALIPAY_PRIVATE_KEY
      ? key('ALIPAY_PRIVATE_KEY', e.ALIPAY_PRIVATE_KEY, rsaPrivateKeyPem)
      : developmentKeyPair(e.DATA_DIR, ALIPAY_SANDBOX_KEYS.app).privateKey,
    alipayPublicKey: e.ALIPAY_PUBLIC_KEY
      ? key('ALIPAY_PUBLIC_KEY', e.ALIPAY_PUBLIC_KEY, rsaPublicKeyPem)
      : developmentKeyPair(e.DATA_DIR, ALIPAY_SANDBOX_KEYS.alipay).publicKey,
    notifyMaxAgeMs: e.ALIPAY_NOTIFY_MAX_AGE,
  };
}
