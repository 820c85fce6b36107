// The explorer page: GraphiQL (React and GraphiQL's UMD builds, loaded before this module) with the
// API key from the field at the top, kept in this browser's localStorage and sent on every request.
/* global document, localStorage, fetch, Headers, React, ReactDOM, GraphiQL */

const STORAGE_KEY = 'paygraph.apiKey';
const DAY_MS = 24 * 60 * 60 * 1000;

/** An example for analysts: the last 30 whole days, per day, channel and currency. */
function defaultQuery() {
  const today = new Date(new Date().toISOString().slice(0, 10));
  const from = new Date(today.getTime() - 30 * DAY_MS).toISOString();
  return `# Paygraph explorer. Paste an API key in the field above (ANALYST, MERCHANT or ADMIN),
# then run a query with the ▶ button or Ctrl-Enter. The Docs button lists every type and field.
#
# Payments of the last 30 days per day, channel and currency. Amount measures are always split
# by currency; rates are exact decimals between 0 and 1.
query Metrics {
  metrics(
    query: {
      measures: [PAYMENT_COUNT, GMV, SUCCESS_RATE, REFUND_RATE, FEE_REVENUE]
      dimensions: [CHANNEL, CURRENCY]
      granularity: DAY
      from: "${from}"
      to: "${today.toISOString()}"
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
`;
}

/** POSTs to this server's /graphql with the key as a bearer token; GraphiQL's header editor adds to it. */
function createFetcher(apiKey) {
  return async (params, options) => {
    if (!apiKey) {
      return { errors: [{ message: 'No API key: paste one in the field at the top of the page, then run the query again.' }] };
    }
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

const form = document.getElementById('api-key-form');
const input = document.getElementById('api-key');
const status = document.getElementById('key-status');
const root = ReactDOM.createRoot(document.getElementById('graphiql'));
const initialQuery = defaultQuery();

/** (Re)renders GraphiQL with a fetcher for the key: a new fetcher makes it load the schema again. */
function applyKey(apiKey) {
  status.textContent = apiKey ? 'Key saved in this browser.' : 'No key yet: paste an API key to load the schema.';
  root.render(React.createElement(GraphiQL, { fetcher: createFetcher(apiKey), defaultQuery: initialQuery }));
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
