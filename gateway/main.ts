/** `npm run start:gateway`: the gateway alone, in front of subgraphs started elsewhere. */
import { closeOnSignal, failStart } from '../scripts/run-until-signal.js';
import { loadGatewayConfig } from './config.js';
import { startGateway } from './server.js';

try {
  const config = loadGatewayConfig();
  const gateway = await startGateway(config);
  console.log(`gateway ${gateway.url}/graphql  health: ${gateway.url}/health`);
  if (config.adminApiKeyGenerated) console.log(`ADMIN_API_KEY was not set; this run's admin key (shown once):\n  ${config.adminApiKey}`);
  closeOnSignal([gateway.close]);
} catch (error) {
  failStart(error);
}
