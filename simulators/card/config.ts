import { z } from 'zod';
import { developmentSecret, envPort, parseEnv, type Env, frozen, type Frozen } from '../../lib/config-loader.js';

const schema = z.object({
  CARD_SIMULATOR_PORT: envPort.default(4101),
  SUBGRAPH_HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  CARD_PROVIDER_API_KEY: z.string().min(16).optional(),
  CARD_WEBHOOK_SECRET: z.string().min(16).optional(),
});

export interface CardSimulatorConfig {
  port: number;
  host: string;
  apiKey: string;
  webhookSecret: string;
}

/** The sandbox card acquirer; its keys are the ones the payment subgraph is configured with. */
export function loadCardSimulatorConfig(env: Env = process.env): Frozen<CardSimulatorConfig> {
  const e = parseEnv('card simulator', schema, env);
  return frozen({
    port: e.CARD_SIMULATOR_PORT,
    host: e.SUBGRAPH_HOST,
    apiKey: e.CARD_PROVIDER_API_KEY ?? developmentSecret(e.DATA_DIR, 'card-provider-api-key'),
    webhookSecret: e.CARD_WEBHOOK_SECRET ?? developmentSecret(e.DATA_DIR, 'card-webhook-secret'),
  });
}
