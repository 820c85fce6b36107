/** `npm run start:simulator -- card|alipay|wechat`: a channel simulator alone (sandbox). */
import { loadAlipaySimulatorConfig } from '../simulators/alipay/config.js';
import { startAlipaySimulator } from '../simulators/alipay/server.js';
import { loadCardSimulatorConfig } from '../simulators/card/config.js';
import { startCardSimulator } from '../simulators/card/server.js';
import { loadWechatPaySimulatorConfig } from '../simulators/wechat/config.js';
import { startWechatPaySimulator } from '../simulators/wechat/server.js';
import { closeOnSignal, failStart } from './run-until-signal.js';

const starters = {
  card: async () => {
    const simulator = await startCardSimulator(loadCardSimulatorConfig());
    console.log(`card simulator ${simulator.url}`);
    return simulator;
  },
  alipay: async () => {
    const simulator = await startAlipaySimulator(loadAlipaySimulatorConfig());
    console.log(`alipay simulator ${simulator.gatewayUrl}`);
    return simulator;
  },
  wechat: async () => {
    const simulator = await startWechatPaySimulator(loadWechatPaySimulatorConfig());
    console.log(`wechat simulator ${simulator.url}`);
    return simulator;
  },
};

const name = process.argv[2] ?? 'card';
if (!Object.hasOwn(starters, name)) failStart(`usage: npm run start:simulator -- <${Object.keys(starters).join('|')}>`);
try {
  const simulator = await starters[name as keyof typeof starters]();
  closeOnSignal([simulator.close]);
} catch (error) {
  failStart(error);
}
