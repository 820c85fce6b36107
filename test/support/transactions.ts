import { consumerCaughtUp } from './accounting.js';
import type { System } from './system.js';
import { expectNoErrors } from './graphql.js';
import type { TransactionsPageResult } from './operations.js';

export const TRANSACTION_FIELDS = `
  id tradeNo type direction channel status occurredAt
  amount { amount currency minorUnits } fee { amount currency minorUnits } net { amount currency minorUnits }
  payment { id } refund { id }
`;

/** Waits until every payment event has been booked by accounting and every event of both has been recorded by the transaction subgraph. */
export const recorded = (system: System): Promise<void> => consumerCaughtUp(system, 'transaction');

export const LIST_TRANSACTIONS = `query($first: Int, $after: String, $filter: TransactionFilter) {
  transactions(first: $first, after: $after, filter: $filter) {
    edges { cursor node { ${TRANSACTION_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** One page of the caller's records; throws on errors. */
export async function transactionsPage(system: System, apiKey: string, variables: Record<string, unknown>): Promise<TransactionsPageResult['transactions']> {
  return expectNoErrors(await system.query<TransactionsPageResult>(apiKey, LIST_TRANSACTIONS, variables)).transactions;
}

/** Every record the caller can see with that filter, page after page, newest first. */
export async function allTransactions(system: System, apiKey: string, filter?: Record<string, unknown>, pageSize = 100): Promise<any[]> {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = await transactionsPage(system, apiKey, { first: pageSize, after, filter });
    nodes.push(...page.edges.map((edge: any) => edge.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

/** GET /statements/transactions.csv through the gateway. */
export async function statement(system: System, apiKey: string | null, params: Record<string, string>): Promise<Response> {
  return fetch(`${system.gatewayUrl}/statements/transactions.csv?${new URLSearchParams(params).toString()}`, {
    headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
  });
}

/** A CSV body (RFC 4180, CRLF) as rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

