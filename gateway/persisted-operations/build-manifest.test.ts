import { describe, expect, it } from 'vitest';
import { buildManifest } from './build-manifest.js';
import { operationId, registeredOperations } from './manifest.js';

describe('a manifest built from .graphql files', () => {
  const files = new Map([
    ['payments.graphql', 'query Payments { payments(first: 5) { edges { node { ...PaymentRow } } } }\nmutation Cancel($input: CancelPaymentInput!) { cancelPayment(input: $input) { ...PaymentRow } }'],
    ['fragments.graphql', 'fragment PaymentRow on Payment { id status amount { ...Amount } }\nfragment Amount on Money { amount currency }\nfragment Unused on Payment { id }'],
    ['watch.graphql', 'subscription Watch { paymentStatusChanged { paymentId status } }'],
  ]);

  it('lists each named operation with the fragments it uses, transitively, each once, and an id that is its body\'s hash', () => {
    const manifest = buildManifest(files);
    expect(manifest.operations.map(({ name, type }) => [name, type])).toEqual([
      ['Payments', 'query'],
      ['Cancel', 'mutation'],
      ['Watch', 'subscription'],
    ]);
    const payments = manifest.operations[0]!;
    expect(payments.body).toMatch(/^query Payments \{[\s\S]*\n\nfragment PaymentRow on Payment \{[\s\S]*\n\nfragment Amount on Money \{[\s\S]*\}$/);
    expect(payments.body).not.toContain('Unused');
    expect(payments.id).toBe(operationId(payments.body));
    expect(registeredOperations(manifest, 'built').size).toBe(3);
  });

  it.each([
    ['an anonymous operation', new Map([['a.graphql', '{ viewer { role } }']]), /needs a name/],
    ['an operation name used twice', new Map([['a.graphql', 'query A { viewer { role } }'], ['b.graphql', 'query A { viewer { role } }']]), /b\.graphql: operation A is defined twice/],
    ['an undefined fragment', new Map([['a.graphql', 'query A { viewer { ...Missing } }']]), /fragment Missing is not defined/],
    ['a fragment defined twice', new Map([['a.graphql', 'fragment F on Viewer { role }'], ['b.graphql', 'fragment F on Viewer { role }']]), /fragment F is defined twice/],
  ])('refuses %s', (_, sources, problem) => {
    expect(() => buildManifest(sources)).toThrow(problem);
  });
});
