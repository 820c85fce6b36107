/** `npm run start:subgraph -- <name>`: one subgraph alone, configured from the environment. */
import { loadPaymentConfig } from '../subgraphs/payment/config.js';
import { startPaymentSubgraph } from '../subgraphs/payment/index.js';
import { closeOnSignal, failStart } from './run-until-signal.js';

const starters = {
  payment: () => startPaymentSubgraph(loadPaymentConfig()),
};

const name = process.argv[2] ?? '';
if (!Object.hasOwn(starters, name)) failStart(`usage: npm run start:subgraph -- <${Object.keys(starters).join('|')}>`);
try {
  const server = await starters[name as keyof typeof starters]();
  console.log(`${name} subgraph ${server.url}/graphql`);
  closeOnSignal([server.close]);
} catch (error) {
  failStart(error);
}
