// The explorer page: GraphiQL (React's, GraphiQL's and graphql-ws's UMD builds, loaded before this module) with the
// API key from the field at the top, kept in this browser's localStorage and sent on every request and subscription.
/* global document, location, localStorage, fetch, Headers, React, ReactDOM, GraphiQL, graphqlWs */

const STORAGE_KEY = 'paygraph.apiKey';
const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day `days` from today's, at 00:00. */
function utcDay(days) {
  const today = new Date(new Date().toISOString().slice(0, 10));
  return new Date(today.getTime() + days * DAY_MS).toISOString();
}

/** The tabs the explorer opens with: each runs as it is with an ADMIN or MERCHANT key (metrics with ANALYST too). */
function exampleTabs() {
  const intro = `# Paygraph explorer. Paste an API key in the field above (ADMIN, MERCHANT or ANALYST), then run
# the operation with the ▶ button or Ctrl-Enter. Each tab is an example; the Docs button lists every type and field.
#
`;
  return [
    `${intro}# The newest payments with what the ledger booked for each: the fee, the net and the double entries.
query PaymentsWithLedger {
  payments(first: 5) {
    edges {
      node {
        id
        status
        channel
        amount { amount currency }
        amountRefunded { amount currency }
        fee { amount currency }
        net { amount currency }
        ledgerEntries { account side amount { amount currency } postedAt }
        createdAt
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
    `${intro}# A page of the transaction history, newest first: pass pageInfo.endCursor as after for the next page.
query HistoryPage($after: String) {
  transactions(first: 10, after: $after) {
    edges {
      node { tradeNo type direction status channel amount { amount currency } fee { amount currency } net { amount currency } occurredAt payment { id } }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
    `${intro}# Payments of the last 30 days, today included, per day, channel and currency. Amount measures are
# always split by currency; rates are exact decimals between 0 and 1.
query Metrics {
  metrics(
    query: {
      measures: [PAYMENT_COUNT, GMV, SUCCESS_RATE, REFUND_RATE, FEE_REVENUE]
      dimensions: [CHANNEL, CURRENCY]
      granularity: DAY
      from: "${utcDay(-29)}"
      to: "${utcDay(1)}"
    }
  ) {
    rows {
      bucket
      channel
      currency
      values { measure value }
    }
  }
}
`,
    `${intro}# Status changes of your payments as they happen (over WebSocket, with the key above; ADMIN: every
# merchant's). Run it, then create or confirm a payment; ■ stops it. With after: <an event's cursor> it
# first replays every change after that event.
subscription PaymentStatus {
  paymentStatusChanged {
    cursor
    paymentId
    previousStatus
    status
    occurredAt
    payment { id amount { amount currency } }
  }
}
`,
    `${intro}# The event log, oldest first: payments' and refunds' events, with the same cursors as the subscription.
query EventLog($after: String) {
  events(first: 20, after: $after) {
    edges { node { id type createdAt data } }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  ].map((query) => ({ query }));
}

/** Is the operation to run a subscription? GraphiQL passes the parsed document; the text is the fallback. */
function isSubscription(params, options) {
  const operations = (options?.documentAST?.definitions ?? []).filter((definition) => definition.kind === 'OperationDefinition');
  if (operations.length > 0) {
    const chosen = operations.find((operation) => operation.name?.value === params.operationName) ?? operations[0];
    return chosen.operation === 'subscription';
  }
  return /^\s*subscription\b/m.test(params.query.replace(/#[^\n]*/g, ''));
}

/** The subscription's results as GraphiQL shows them; its end (an error, the socket closed) becomes a last result. */
async function* subscriptionResults(client, params) {
  const results = client.iterate({ query: params.query, variables: params.variables ?? undefined, operationName: params.operationName ?? undefined });
  try {
    for await (const result of results) yield result;
  } catch (error) {
    if (Array.isArray(error)) yield { errors: error };
    else yield { errors: [{ message: `The subscription's connection closed${error?.code ? ` (${error.code}${error.reason ? `: ${error.reason}` : ''})` : ''}.` }] };
  } finally {
    await results.return?.();
  }
}

/**
 * Queries and mutations are POSTed to this server's /graphql with the key as a bearer token (GraphiQL's
 * header editor adds to it); subscriptions run over graphql-ws on the same address, the key in the
 * connection's parameters as the contract says.
 */
function createFetcher(apiKey, wsClient) {
  return async (params, options) => {
    if (!apiKey) {
      return { errors: [{ message: 'No API key: paste one in the field at the top of the page, then run the query again.' }] };
    }
    if (isSubscription(params, options)) return subscriptionResults(wsClient, params);
    const headers = new Headers(options?.headers ?? {});
    headers.set('content-type', 'application/json');
    headers.set('accept', 'application/graphql-response+json, application/json');
    headers.set('authorization', `Bearer ${apiKey}`);
    const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `HTTP ${response.status} from /graphql: ${text.slice(0, 500)}` }] };
    }
  };
}

/** One WebSocket per key, opened when a subscription first runs and closed when the key changes. */
function createWsClient(apiKey) {
  return graphqlWs.createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: { authorization: `Bearer ${apiKey}` },
    lazy: true,
    retryAttempts: 0,
  });
}

const form = document.getElementById('api-key-form');
const input = document.getElementById('api-key');
const status = document.getElementById('key-status');
const root = ReactDOM.createRoot(document.getElementById('graphiql'));
const defaultTabs = exampleTabs();
let wsClient = null;

/** (Re)renders GraphiQL with a fetcher for the key: a new fetcher makes it load the schema again. */
function applyKey(apiKey) {
  status.textContent = apiKey ? 'Key saved in this browser.' : 'No key yet: paste an API key to load the schema.';
  void wsClient?.dispose();
  wsClient = apiKey ? createWsClient(apiKey) : null;
  root.render(React.createElement(GraphiQL, { fetcher: createFetcher(apiKey, wsClient), defaultTabs, defaultQuery: defaultTabs[0].query }));
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const apiKey = input.value.trim();
  if (apiKey) localStorage.setItem(STORAGE_KEY, apiKey);
  else localStorage.removeItem(STORAGE_KEY);
  applyKey(apiKey);
});

document.getElementById('forget-key').addEventListener('click', () => {
  localStorage.removeItem(STORAGE_KEY);
  input.value = '';
  applyKey('');
});

input.value = localStorage.getItem(STORAGE_KEY) ?? '';
applyKey(input.value);
