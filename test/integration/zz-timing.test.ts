import { it } from 'vitest';
import { startSystem } from '../support/system.js';

it('deep', { timeout: 300_000 }, async () => {
  const system = await startSystem();
  const { apiKey } = await system.seedMerchant('x');
  const post = async (label: string, query: string) => {
    const r = await fetch(`${system.gatewayUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify({ query }) });
    console.log('DEEP', label, r.status, (await r.text()).slice(0, 150));
  };
  for (const n of [300, 600, 900]) {
    const chain = Array.from({ length: n }, (_, i) => `fragment F${i} on ${i % 2 === 0 ? 'Payment' : 'Refund'} { ${i % 2 === 0 ? 'refunds' : 'payment'} { ...F${i + 1} } }`).join(' ');
    await post(`chain ${n}`, `{ payment(id: "pay_x") { ...F0 } } ${chain} fragment F${n} on ${n % 2 === 0 ? 'Payment' : 'Refund'} { id }`);
  }
  for (const levels of [1200, 1500, 1800, 2000]) {
    let sel = 'id'; for (let l = levels; l > 0; l--) sel = `${l % 2 === 1 ? 'refunds' : 'payment'} { ${sel} }`;
    await post(`nested ${levels}`, `{ payment(id: "pay_x") { ${sel} } }`);
    await post(`nested-json ${levels}`, `mutation { createPayment(input: { amount: { amount: "1.00", currency: "USD" }, channel: CARD, idempotencyKey: "k${levels}", metadata: ${'{ a: '.repeat(levels)}1${' }'.repeat(levels)} }) { id } }`);
  }
  await system.stop();
});
