/** `npm run start:simulator -- card`: a channel simulator alone (sandbox). */
import { loadCardSimulatorConfig } from '../simulators/card/config.js';
import { startCardSimulator } from '../simulators/card/server.js';
import { closeOnSignal, failStart } from './run-until-signal.js';

const name = process.argv[2] ?? 'card';
if (name !== 'card') failStart('usage: npm run start:simulator -- card');
try {
  const simulator = await startCardSimulator(loadCardSimulatorConfig());
  console.log(`card simulator ${simulator.url}`);
  closeOnSignal([simulator.close]);
} catch (error) {
  failStart(error);
}
