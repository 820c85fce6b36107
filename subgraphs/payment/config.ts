import { z } from 'zod';
import { metricsPortEnv } from '../../lib/metrics/config.js';
import { developmentSecret, envBoolean, envDuration, envPort, parseEnv, subgraphConfig, subgraphEnv, type Env, frozen, type Frozen, type SubgraphConfig } from '../../lib/config-loader.js';
import { outboxRelayConfig, outboxRelayEnv, type OutboxRelayConfig } from '../../lib/events/config.js';
import { developmentKeyPair, rsaPrivateKeyPem, rsaPublicKeyPem } from '../../lib/rsa-keys.js';

const schema = z.object({
  ...subgraphEnv,
  PAYMENT_PORT: envPort.default(4001),
  PAYMENT_METRICS_PORT: metricsPortEnv,
  SANDBOX: envBoolean.optional(),
  PAYMENT_PUBLIC_URL: z.url().optional(),
  CARD_PROVIDER_URL: z.url().optional(),
  CARD_PROVIDER_API_KEY: z.string().min(16).optional(),
  CARD_WEBHOOK_SECRET: z.string().min(16).optional(),
  IDEMPOTENCY_RETENTION: envDuration.default(24 * 3_600_000),
  IDEMPOTENCY_LEASE: envDuration.default(10_000),
  EVENT_RETENTION: envDuration.default(7 * 86_400_000),
  OUTBOX_PRUNE_INTERVAL: envDuration.default(3_600_000),
  ...outboxRelayEnv,
  ALIPAY_GATEWAY_URL: z.url().optional(),
  ALIPAY_APP_ID: z.string().regex(/^\d{16}$/, 'must be the 16-digit app id Alipay assigned').optional(),
  ALIPAY_PRIVATE_KEY: z.string().min(1).optional(),
  ALIPAY_PUBLIC_KEY: z.string().min(1).optional(),
  ALIPAY_NOTIFY_MAX_AGE: envDuration.default(25 * 3_600_000),
  PAYMENT_QR_TTL: envDuration.default(15 * 60_000),
  PAYMENT_RECOVERY_INTERVAL: envDuration.default(30_000),
  PAYMENT_RECOVERY_AFTER: envDuration.default(60_000),
  WECHATPAY_URL: z.url().optional(),
  WECHATPAY_MCHID: z.string().regex(/^\d{6,32}$/, 'must be the merchant number WeChat Pay assigned (digits)').optional(),
  WECHATPAY_APPID: z.string().min(1).max(32).optional(),
  WECHATPAY_MERCHANT_SERIAL: z.string().min(1).max(64).optional(),
  WECHATPAY_MERCHANT_PRIVATE_KEY: z.string().min(1).optional(),
  WECHATPAY_PLATFORM_SERIAL: z.string().min(1).max(64).optional(),
  WECHATPAY_PLATFORM_PUBLIC_KEY: z.string().min(1).optional(),
  WECHATPAY_APIV3_KEY: z.string().length(32, 'must be the 32-character APIv3 key').optional(),
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

export interface WechatPayConfig {
  /** API v3's base URL, https://api.mch.weixin.qq.com */
  baseUrl: string;
  mchid: string;
  /** the AppID the Native orders are placed under */
  appid: string;
  /** our merchant API certificate's serial and private key (PKCS#8 PEM): sign our requests */
  merchant: { serial: string; privateKey: string };
  /** WeChat Pay's public key (SPKI PEM) and its id (PUB_KEY_ID_…) or platform certificate serial: verify its answers and notifications */
  platform: { serial: string; publicKey: string };
  /** the APIv3 key: decrypts notifications (AEAD_AES_256_GCM) */
  apiV3Key: string;
}

export interface PaymentConfig extends SubgraphConfig {
  sandbox: boolean;
  /** where providers send callbacks; unset: this server's own address */
  publicUrl: string | undefined;
  card: { baseUrl: string; apiKey: string; webhookSecret: string };
  idempotencyRetentionMs: number;
  /** how long an idempotency claim stays its request's without being renewed (renewed every third of it while the request runs) */
  idempotencyLeaseMs: number;
  /** how long published events stay in the outbox: the oldest cursor a subscriber may resume from */
  eventRetentionMs: number;
  outboxPruneIntervalMs: number;
  /** the outbox relay's safety poll */
  outboxRelay: OutboxRelayConfig;
  /** null: the ALIPAY channel is off (production without ALIPAY_APP_ID) */
  alipay: AlipayConfig | null;
  /** null: the WECHAT_PAY channel is off (production without WECHATPAY_MCHID) */
  wechatPay: WechatPayConfig | null;
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
export const WECHATPAY_API_URL = 'https://api.mch.weixin.qq.com';
export const DEFAULT_WECHATPAY_SIMULATOR_URL = 'http://127.0.0.1:4103';
/** the sandbox merchant as the WeChat Pay simulator knows it (its config has the same values) */
export const SANDBOX_WECHATPAY = {
  mchid: '1900000109',
  appid: 'wxd678efh567hg6787',
  merchantSerial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  platformSerial: 'PUB_KEY_ID_0119000000000000000000000000000001',
} as const;
/** names of the sandbox secrets under DATA_DIR/secrets: our key pair, the simulated WeChat Pay's, the shared APIv3 key */
export const WECHATPAY_SANDBOX_KEYS = { merchant: 'wechatpay-merchant-key', platform: 'wechatpay-simulator-key', apiV3Key: 'wechatpay-apiv3-key' } as const;

const sandboxSchema = z.object({ NODE_ENV: subgraphEnv.NODE_ENV, SANDBOX: envBoolean.optional() });

/**
 * Whether the payment subgraph's channels are the simulators: SANDBOX, by default on outside production.
 * Production refuses it: it would also let any key approve its own wallet payments (sandboxPayerAction).
 */
export function paymentSandbox(env: Env): boolean {
  const e = parseEnv('payment subgraph', sandboxSchema, env);
  if (e.SANDBOX && e.NODE_ENV === 'production') {
    throw invalid('SANDBOX', 'is refused when NODE_ENV=production: the sandbox approves payments nobody paid (sandboxPayerAction)');
  }
  return e.SANDBOX ?? e.NODE_ENV !== 'production';
}

export function loadPaymentConfig(env: Env = process.env): Frozen<PaymentConfig> {
  const e = parseEnv('payment subgraph', schema, env);
  const production = e.NODE_ENV === 'production';
  const required = (name: keyof typeof e, value: string | undefined, secretName: string): string => {
    if (value) return value;
    if (production) throw new Error(`payment subgraph: invalid configuration\n  ${name}: is required when NODE_ENV=production`);
    return developmentSecret(e.DATA_DIR, secretName);
  };
  const sandbox = paymentSandbox(env);
  if (!sandbox && !e.CARD_PROVIDER_URL) {
    throw new Error('payment subgraph: invalid configuration\n  CARD_PROVIDER_URL: is required when SANDBOX is off');
  }
  return frozen({
    ...subgraphConfig('payment subgraph', e, e.PAYMENT_PORT, e.PAYMENT_METRICS_PORT),
    sandbox,
    publicUrl: e.PAYMENT_PUBLIC_URL,
    card: {
      baseUrl: e.CARD_PROVIDER_URL ?? DEFAULT_CARD_SIMULATOR_URL,
      apiKey: required('CARD_PROVIDER_API_KEY', e.CARD_PROVIDER_API_KEY, 'card-provider-api-key'),
      webhookSecret: required('CARD_WEBHOOK_SECRET', e.CARD_WEBHOOK_SECRET, 'card-webhook-secret'),
    },
    idempotencyRetentionMs: e.IDEMPOTENCY_RETENTION,
    idempotencyLeaseMs: Math.max(e.IDEMPOTENCY_LEASE, 3),
    eventRetentionMs: e.EVENT_RETENTION,
    outboxPruneIntervalMs: e.OUTBOX_PRUNE_INTERVAL,
    outboxRelay: outboxRelayConfig(e),
    alipay: alipayConfig(e, sandbox),
    wechatPay: wechatPayConfig(e, sandbox),
    qrCodeTtlMs: e.PAYMENT_QR_TTL,
    recoveryIntervalMs: Math.max(e.PAYMENT_RECOVERY_INTERVAL, 1),
    recoveryAfterMs: e.PAYMENT_RECOVERY_AFTER,
  });
}

const invalid = (name: string, message: string) => new Error(`payment subgraph: invalid configuration\n  ${name}: ${message}`);

/** A key as an environment variable gives it, read into PEM, or a configuration error naming the variable. */
function keyOf(name: string, text: string, read: (text: string) => string): string {
  try {
    return read(text);
  } catch (error) {
    throw invalid(name, error instanceof Error ? error.message : String(error));
  }
}

/**
 * Production: the channel is on when ALIPAY_APP_ID is set, and then needs the gateway URL and both keys.
 * Sandbox: the simulator's address, app id and keys by default, the keys generated once under DATA_DIR.
 */
function alipayConfig(e: z.infer<typeof schema>, sandbox: boolean): AlipayConfig | null {
  if (!sandbox && !e.ALIPAY_APP_ID) return null;
  const given = { ALIPAY_GATEWAY_URL: e.ALIPAY_GATEWAY_URL, ALIPAY_PRIVATE_KEY: e.ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY: e.ALIPAY_PUBLIC_KEY };
  for (const [name, value] of Object.entries(given)) {
    if (!sandbox && !value) throw invalid(name, 'is required when ALIPAY_APP_ID is set and SANDBOX is off');
  }
  return {
    gatewayUrl: e.ALIPAY_GATEWAY_URL ?? DEFAULT_ALIPAY_SIMULATOR_URL,
    appId: e.ALIPAY_APP_ID ?? SANDBOX_ALIPAY_APP_ID,
    privateKey: e.ALIPAY_PRIVATE_KEY
      ? keyOf('ALIPAY_PRIVATE_KEY', e.ALIPAY_PRIVATE_KEY, rsaPrivateKeyPem)
      : developmentKeyPair(e.DATA_DIR, ALIPAY_SANDBOX_KEYS.app).privateKey,
    alipayPublicKey: e.ALIPAY_PUBLIC_KEY
      ? keyOf('ALIPAY_PUBLIC_KEY', e.ALIPAY_PUBLIC_KEY, rsaPublicKeyPem)
      : developmentKeyPair(e.DATA_DIR, ALIPAY_SANDBOX_KEYS.alipay).publicKey,
    notifyMaxAgeMs: e.ALIPAY_NOTIFY_MAX_AGE,
  };
}

/**
 * Production: the channel is on when WECHATPAY_MCHID is set, and then needs the AppID, both keys with their
 * serials and the APIv3 key. Sandbox: the simulator's address, merchant and keys by default, the keys
 * generated once under DATA_DIR.
 */
function wechatPayConfig(e: z.infer<typeof schema>, sandbox: boolean): WechatPayConfig | null {
  if (!sandbox && !e.WECHATPAY_MCHID) return null;
  const given = {
    WECHATPAY_APPID: e.WECHATPAY_APPID,
    WECHATPAY_MERCHANT_SERIAL: e.WECHATPAY_MERCHANT_SERIAL,
    WECHATPAY_MERCHANT_PRIVATE_KEY: e.WECHATPAY_MERCHANT_PRIVATE_KEY,
    WECHATPAY_PLATFORM_SERIAL: e.WECHATPAY_PLATFORM_SERIAL,
    WECHATPAY_PLATFORM_PUBLIC_KEY: e.WECHATPAY_PLATFORM_PUBLIC_KEY,
    WECHATPAY_APIV3_KEY: e.WECHATPAY_APIV3_KEY,
  };
  for (const [name, value] of Object.entries(given)) {
    if (!sandbox && !value) throw invalid(name, 'is required when WECHATPAY_MCHID is set and SANDBOX is off');
  }
  return {
    baseUrl: e.WECHATPAY_URL ?? (sandbox ? DEFAULT_WECHATPAY_SIMULATOR_URL : WECHATPAY_API_URL),
    mchid: e.WECHATPAY_MCHID ?? SANDBOX_WECHATPAY.mchid,
    appid: e.WECHATPAY_APPID ?? SANDBOX_WECHATPAY.appid,
    merchant: {
      serial: e.WECHATPAY_MERCHANT_SERIAL ?? SANDBOX_WECHATPAY.merchantSerial,
      privateKey: e.WECHATPAY_MERCHANT_PRIVATE_KEY
        ? keyOf('WECHATPAY_MERCHANT_PRIVATE_KEY', e.WECHATPAY_MERCHANT_PRIVATE_KEY, rsaPrivateKeyPem)
        : developmentKeyPair(e.DATA_DIR, WECHATPAY_SANDBOX_KEYS.merchant).privateKey,
    },
    platform: {
      serial: e.WECHATPAY_PLATFORM_SERIAL ?? SANDBOX_WECHATPAY.platformSerial,
      publicKey: e.WECHATPAY_PLATFORM_PUBLIC_KEY
        ? keyOf('WECHATPAY_PLATFORM_PUBLIC_KEY', e.WECHATPAY_PLATFORM_PUBLIC_KEY, rsaPublicKeyPem)
        : developmentKeyPair(e.DATA_DIR, WECHATPAY_SANDBOX_KEYS.platform).publicKey,
    },
    apiV3Key: e.WECHATPAY_APIV3_KEY ?? sandboxApiV3Key(e.DATA_DIR),
  };
}

/** The sandbox APIv3 key: 32 characters of a development secret, as the simulator reads it too. */
export function sandboxApiV3Key(dataDir: string): string {
  return developmentSecret(dataDir, WECHATPAY_SANDBOX_KEYS.apiV3Key).slice(0, 32);
}
