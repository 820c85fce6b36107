/** Who is calling: established by the gateway from the API key, carried to subgraphs signed. */
export type Role = 'ADMIN' | 'MERCHANT' | 'ANALYST';

export interface Principal {
  role: Role;
  /** the merchant a MERCHANT key (or a merchant-bound ANALYST key) belongs to */
  merchantId: string | null;
  /** the API key's id; null for the bootstrap admin key */
  keyId: string | null;
}

const roles = new Set<Role>(['ADMIN', 'MERCHANT', 'ANALYST']);

export function encodePrincipal(principal: Principal): string {
  return Buffer.from(JSON.stringify([principal.role, principal.merchantId, principal.keyId])).toString('base64url');
}

export function decodePrincipal(encoded: string): Principal | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [role, merchantId, keyId] = value as unknown[];
    if (typeof role !== 'string' || !roles.has(role as Role)) return null;
    if (merchantId !== null && typeof merchantId !== 'string') return null;
    if (keyId !== null && typeof keyId !== 'string') return null;
    return { role: role as Role, merchantId, keyId };
  } catch {
    return null;
  }
}

/** May this principal see data of that merchant? */
export function canSeeMerchant(principal: Principal, merchantId: string): boolean {
  if (principal.role === 'ADMIN') return true;
  if (principal.merchantId === null) return principal.role === 'ANALYST';
  return principal.merchantId === merchantId;
}
