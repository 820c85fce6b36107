/** `npm run start:simulator -- card|wechat`: a channel simulator alone (sandbox). */
import { loadCardSimulatorConfig } from '../simulators/card/config.js';
import { startCardSimulator } from '../simulators/card/server.js';
import { loadWechatPaySimulatorConfig } from '../simulators/wechat/config.js';
import { startWechatPaySimulator } from '../simulators/wechat/server.js';
import { closeOnSignal, failStart } from './run-until-signal.js';

const starters = {
  card: () => startCardSimulator(loadCardSimulatorConfig()),
  wechat: () => startWechatPaySimulator(loadWechatPaySimulatorConfig()),
};

const name = process.argv[2] ?? 'card';
if (!Object.hasOwn(starters, name)) failStart(`usage: npm run start:simulator -- <${Object.keys(starters).join('|')}>`);
try {
  const simulator = await starters[name as keyof typeof starters]();
  console.log(`${name} simulator ${simulator.url}`);
  closeOnSignal([simulator.close]);
} catch (error) {
  failStart(error);
}
