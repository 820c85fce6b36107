import { z } from 'zod';
import { envPort, parseEnv, type Env, frozen, type Frozen } from '../../lib/config-loader.js';
import { developmentKeyPair, rsaPrivateKeyPem, rsaPublicKeyPem } from '../../lib/rsa-keys.js';
import type { AlipaySimulatorOptions } from './server.js';

const schema = z.object({
  ALIPAY_SIMULATOR_PORT: envPort.default(4102),
  SUBGRAPH_HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  ALIPAY_APP_ID: z.string().regex(/^\d{16}$/).default('2021000000000001'),
  ALIPAY_APP_PUBLIC_KEY: z.string().min(1).optional(),
  ALIPAY_SIMULATOR_PRIVATE_KEY: z.string().min(1).optional(),
  ALIPAY_NOTIFY_RETRY_DIVISOR: z.coerce.number().positive().default(10_000),
});

/**
 * The sandbox Alipay. Its keys default to the sandbox key pairs under DATA_DIR/secrets, generated on
 * first start by whichever of it and the payment subgraph starts first (the same names as in the
 * payment subgraph's config: alipay-app-key is the merchant's, alipay-simulator-key Alipay's).
 */
export function loadAlipaySimulatorConfig(env: Env = process.env): Frozen<Required<Omit<AlipaySimulatorOptions, 'host'>> & { host: string }> {
  const e = parseEnv('alipay simulator', schema, env);
  const read = (name: string, text: string, reader: (text: string) => string) => {
    try {
      return reader(text);
    } catch (error) {
      throw new Error(`alipay simulator: invalid configuration\n  ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return frozen({
    port: e.ALIPAY_SIMULATOR_PORT,
    host: e.SUBGRAPH_HOST,
    appId: e.ALIPAY_APP_ID,
    appPublicKey: e.ALIPAY_APP_PUBLIC_KEY
      ? read('ALIPAY_APP_PUBLIC_KEY', e.ALIPAY_APP_PUBLIC_KEY, rsaPublicKeyPem)
      : developmentKeyPair(e.DATA_DIR, 'alipay-app-key').publicKey,
    privateKey: e.ALIPAY_SIMULATOR_PRIVATE_KEY
      ? read('ALIPAY_SIMULATOR_PRIVATE_KEY', e.ALIPAY_SIMULATOR_PRIVATE_KEY, rsaPrivateKeyPem)
      : developmentKeyPair(e.DATA_DIR, 'alipay-simulator-key').privateKey,
    notifyRetryDivisor: e.ALIPAY_NOTIFY_RETRY_DIVISOR,
  });
}
