import { z } from 'zod';
import { envPort, parseEnv, type Env } from '../../lib/config-loader.js';
import { wechatPaySandboxKeys } from './sandbox-keys.js';
import type { WechatPaySimulatorOptions } from './server.js';

const delays = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be comma-separated milliseconds, e.g. 15,15,30')
  .transform((text) => text.split(',').map(Number));

const schema = z.object({
  WECHATPAY_SIMULATOR_PORT: envPort.default(4102),
  SUBGRAPH_HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  WECHATPAY_SIMULATOR_NOTIFY_DELAYS: delays.optional(),
  WECHATPAY_SIMULATOR_REFUND_DELAY: z.coerce.number().int().min(0).max(60_000).optional(),
});

/** The WeChat Pay sandbox: its keys (and the merchant's public key) live under DATA_DIR, made on first start. */
export function loadWechatPaySimulatorConfig(env: Env = process.env): WechatPaySimulatorOptions {
  const e = parseEnv('WeChat Pay simulator', schema, env);
  return {
    port: e.WECHATPAY_SIMULATOR_PORT,
    host: e.SUBGRAPH_HOST,
    keys: wechatPaySandboxKeys(e.DATA_DIR),
    ...(e.WECHATPAY_SIMULATOR_NOTIFY_DELAYS ? { notifyRetryDelaysMs: e.WECHATPAY_SIMULATOR_NOTIFY_DELAYS } : {}),
    ...(e.WECHATPAY_SIMULATOR_REFUND_DELAY === undefined ? {} : { refundSettleMs: e.WECHATPAY_SIMULATOR_REFUND_DELAY }),
  };
}
