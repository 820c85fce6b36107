/**
 * graphql-cop's checks (github.com/dolevf/graphql-cop, lib/tests/*.py), reproduced from what each sends and what it
 * counts as a finding, for a gateway this suite starts: the Python tool itself cannot be installed here. Requests go
 * out as graphql-cop's `requests` calls do: JSON bodies with `operationName: "cop"`, `Accept: *\/*`, its User-Agent,
 * and the caller's headers (its -H option).
 */

export interface CopCheck {
  title: string;
  /** true: graphql-cop would report it */
  reported: boolean;
  /** what the check saw, for the assertion message */
  evidence: string;
}

interface Sent {
  status: number;
  text: string;
  json: unknown;
}

type Headers = Record<string, string>;

const USER_AGENT = 'graphql-cop/1.14';

async function request(url: string, init: { method: string; headers: Headers; body?: string }): Promise<Sent> {
  const response = await fetch(url, {
    method: init.method,
    headers: { accept: '*/*', 'user-agent': USER_AGENT, ...init.headers },
    body: init.body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // graphql-cop's checks read nothing from a body that is not JSON
  }
  return { status: response.status, text, json };
}

const post = (url: string, headers: Headers, body: unknown) =>
  request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** graph_query: one operation named cop, POSTed as JSON. */
const graphQuery = (url: string, headers: Headers, query: string) => post(url, headers, { query, operationName: 'cop' });

const withQuery = (url: string, query: string) => `${url}?${new URLSearchParams({ query }).toString()}`;

/** A value at a path of an answer, or undefined (graphql-cop's `try: …['data']['x'] except: pass`). */
function at(json: unknown, ...path: (string | number)[]): unknown {
  let value = json;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

const truthy = (value: unknown) => Boolean(value) && !(Array.isArray(value) && value.length === 0);
const evidence = (sent: Sent) => `HTTP ${sent.status} ${sent.text.slice(0, 300)}`;

/** Every check of graphql-cop against one GraphQL URL (e.g. http://127.0.0.1:4000/graphql). */
export async function runGraphqlCop(url: string, headers: Headers): Promise<CopCheck[]> {
  const checks: CopCheck[] = [];
  const add = (title: string, reported: boolean, sent: Sent | string) => checks.push({ title, reported, evidence: typeof sent === 'string' ? sent : evidence(sent) });

  const aliases = Array.from({ length: 101 }, (_, index) => `alias${index}:__typename`).join('\n');
  const aliased = await graphQuery(url, headers, `query cop { ${aliases} }`);
  add('Alias Overloading (101 aliases)', truthy(at(aliased.json, 'data', 'alias100')), aliased);

  const batch = await post(url, headers, Array.from({ length: 11 }, () => ({ query: 'query cop { __typename }' })));
  add('Array-based Query Batching (11 operations)', Array.isArray(batch.json) && batch.json.length >= 10, batch);

  const duplicated = await graphQuery(url, headers, `query cop { ${'__typename \n'.repeat(500)}} `);
  add('Field Duplication (500 x __typename)', truthy(at(duplicated.json, 'data', '__typename')), duplicated);

  const directives = await graphQuery(url, headers, `query cop { __typename ${'@aa'.repeat(10)} }`);
  const directiveErrors = at(directives.json, 'errors');
  add('Directive Overloading (10 x @aa)', Array.isArray(directiveErrors) && directiveErrors.length === 10, directives);

  const circularIntrospection = await graphQuery(
    url,
    headers,
    'query cop { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }',
  );
  const types = at(circularIntrospection.json, 'data', '__schema', 'types');
  add('Introspection-based Circular Query', Array.isArray(types) && types.length > 25, circularIntrospection);

  const circularFragment = await graphQuery(
    url,
    headers,
    'query cop { __schema { ...A } }\nfragment A on __Schema { __typename ...B }\nfragment B on __Schema { ...A }',
  );
  add('Circular Fragment', circularFragment.json !== null && at(circularFragment.json, 'errors') === undefined, circularFragment);

  const suggestions = await graphQuery(url, headers, 'query cop { __schema { directive } }');
  const firstMessage = at(suggestions.json, 'errors', 0, 'message');
  add('Field Suggestions', typeof firstMessage === 'string' && firstMessage.includes('Did you mean'), suggestions);

  const getQuery = await request(withQuery(url, '{__typename}'), { method: 'GET', headers });
  add('GET Method Query Support', truthy(at(getQuery.json, 'data', '__typename')), getQuery);

  const getMutation = await request(withQuery(url, 'mutation {__typename}'), { method: 'GET', headers });
  add('Mutation is allowed over GET (possible CSRF)', truthy(at(getMutation.json, 'data', '__typename')), getMutation);

  const urlEncoded = await request(withQuery(url, 'query {__typename}'), { method: 'POST', headers });
  add('POST based url-encoded query (possible CSRF)', truthy(at(urlEncoded.json, 'data', '__typename')), urlEncoded);

  const origin = new URL(url).origin;
  const heuristics = ['graphiql.min.css', 'GraphQL Playground', 'GraphiQL', 'graphql-playground'];
  const ides: string[] = [];
  for (const endpoint of ['/graphiql', '/playground', '/console', '/graphql']) {
    const page = await request(`${origin}${endpoint}`, { method: 'GET', headers });
    if (heuristics.some((word) => page.text.includes(word))) ides.push(`${endpoint}: ${evidence(page)}`);
  }
  add('GraphQL IDE (GraphiQL Explorer/Playground)', ides.length > 0, ides.join('\n') || 'none of /graphiql /playground /console /graphql');

  const introspection = await graphQuery(url, headers, 'query cop { __schema { types { name fields { name } } } }');
  add('Introspection', truthy(at(introspection.json, 'data', '__schema', 'types')), introspection);

  const traced = await graphQuery(url, headers, 'query cop { __typename }');
  const tracedErrors = at(traced.json, 'errors');
  const errorList = Array.isArray(tracedErrors) ? tracedErrors : [];
  add(
    'Trace Mode',
    errorList.some((error) => at(error, 'extensions', 'tracing') !== undefined || at(error, 'extensions', 'exception') !== undefined) ||
      at(traced.json, 'extensions', 'tracing') !== undefined ||
      traced.text.toLowerCase().includes('stacktrace'),
    traced,
  );

  const unhandled = await graphQuery(url, headers, 'qwerty cop { abc }');
  add('Unhandled Errors Detection', truthy(at(unhandled.json, 'errors', 0, 'extensions', 'exception')) || /"extensions":\{"exception":/i.test(unhandled.text), unhandled);

  return checks;
}
