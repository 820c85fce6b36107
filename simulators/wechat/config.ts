import { z } from 'zod';
import { developmentSecret, envPort, parseEnv, type Env, frozen, type Frozen } from '../../lib/config-loader.js';
import { developmentKeyPair } from '../../lib/rsa-keys.js';
import type { WechatPaySimulatorOptions } from './server.js';

const delays = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be comma-separated milliseconds, e.g. 15,15,30')
  .transform((text) => text.split(',').map(Number));

const schema = z.object({
  WECHATPAY_SIMULATOR_PORT: envPort.default(4103),
  SUBGRAPH_HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  WECHATPAY_SIMULATOR_NOTIFY_DELAYS: delays.optional(),
  WECHATPAY_SIMULATOR_REFUND_DELAY: z.coerce.number().int().min(0).max(60_000).optional(),
});

/**
 * The sandbox WeChat Pay. Its merchant is the payment subgraph's sandbox merchant (the same mchid, AppID and
 * serials as SANDBOX_WECHATPAY there), and its keys are the sandbox secrets under DATA_DIR/secrets, generated
 * on first start by whichever of it and the payment subgraph starts first: wechatpay-merchant-key is the
 * merchant's (only its public key is read here), wechatpay-simulator-key WeChat Pay's, wechatpay-apiv3-key shared.
 */
export function loadWechatPaySimulatorConfig(env: Env = process.env): Frozen<WechatPaySimulatorOptions> {
  const e = parseEnv('WeChat Pay simulator', schema, env);
  return frozen({
    port: e.WECHATPAY_SIMULATOR_PORT,
    host: e.SUBGRAPH_HOST,
    keys: {
      mchid: '1900000109',
      appid: 'wxd678efh567hg6787',
      merchant: { serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1', publicKey: developmentKeyPair(e.DATA_DIR, 'wechatpay-merchant-key').publicKey },
      platform: { serial: 'PUB_KEY_ID_0119000000000000000000000000000001', privateKey: developmentKeyPair(e.DATA_DIR, 'wechatpay-simulator-key').privateKey },
      apiV3Key: developmentSecret(e.DATA_DIR, 'wechatpay-apiv3-key').slice(0, 32),
    },
    ...(e.WECHATPAY_SIMULATOR_NOTIFY_DELAYS ? { notifyRetryDelaysMs: e.WECHATPAY_SIMULATOR_NOTIFY_DELAYS } : {}),
    ...(e.WECHATPAY_SIMULATOR_REFUND_DELAY === undefined ? {} : { refundSettleMs: e.WECHATPAY_SIMULATOR_REFUND_DELAY }),
  });
}
