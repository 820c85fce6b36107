// docs/contract.graphql is the repository's copy of the public contract; the authoritative one is
// ../shared/CONTRACT.graphql beside the checkout, where it exists. The copy must not drift from it.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const copy = fileURLToPath(new URL('../docs/contract.graphql', import.meta.url));
const authoritative = fileURLToPath(new URL('../../shared/CONTRACT.graphql', import.meta.url));

describe('docs/contract.graphql', () => {
  it.skipIf(!existsSync(authoritative))('is byte-identical to ../shared/CONTRACT.graphql', () => {
    const same = readFileSync(copy).equals(readFileSync(authoritative));
    expect(same, 'docs/contract.graphql differs from ../shared/CONTRACT.graphql: copy it (cp ../shared/CONTRACT.graphql docs/contract.graphql)').toBe(true);
  });
});
