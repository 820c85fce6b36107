import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from '../../tools/chromium.js';
import { analyticsCaughtUp } from '../support/analytics.js';
import { confirm, createPayment, issueApiKey } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';
import { expectNoErrors } from '../support/graphql.js';

let system: System;
let browser: Browser;
let page: Page;
let analystKey: string;
let merchantKey: string;
/** every URL the page asked for, and everything that went wrong in it (CSP refusals are console errors) */
const requested: string[] = [];
const problems: string[] = [];

const QUERY = 'query Viewer { viewer { role } }';
/** the metrics of the minute around the one payment this file makes, written once it is made */
let metricsQuery = '';

// GraphiQL's editors are CodeMirror 5 instances, reachable from their DOM node. These functions run in
// the page (typed without the DOM here); functions, not strings, since the page's CSP forbids eval.
const editors = { query: '.graphiql-query-editor .CodeMirror', response: '.graphiql-response .CodeMirror' };
const editorValue = (name: keyof typeof editors) =>
  page.evaluate((selector) => (globalThis as any).document.querySelector(selector).CodeMirror.getValue() as string, editors[name]);

beforeAll(async () => {
  // The gateway as deployed: in production, where Apollo Server would turn introspection off by default.
  system = await startSystem({ gatewayEnv: { NODE_ENV: 'production' } });
  analystKey = await issueApiKey(system, 'ANALYST');
  const merchant = await system.seedMerchant('Explorer merchant');
  merchantKey = merchant.apiKey;
  const payment = await createPayment(system, merchant.apiKey, { amount: '12.50' });
  await confirm(system, merchant.apiKey, payment.id);
  await analyticsCaughtUp(system);
  const at = new Date(payment.createdAt).getTime();
  const range = `from: "${new Date(at - 60_000).toISOString()}", to: "${new Date(at + 60_000).toISOString()}"`;
  metricsQuery = `query Metrics { metrics(query: {measures: [PAYMENT_COUNT, GMV], dimensions: [CHANNEL], ${range}}) { rows { channel currency values { measure value } } } }`;
  browser = await chromium.launch({ executablePath: findChromium()!, args: ['--no-sandbox'] });
  page = await openPage();
});

/** A page in a browser context of its own (its own localStorage: no key, GraphiQL's tabs as they start), watched for problems. */
async function openPage(): Promise<Page> {
  const opened = await browser.newPage();
  opened.on('request', (request) => void requested.push(request.url()));
  opened.on('websocket', (socket) => void requested.push(socket.url()));
  opened.on('console', (message) => void (message.type() === 'error' && problems.push(`console: ${message.text()}`)));
  opened.on('pageerror', (error) => void problems.push(`page error: ${error.message}`));
  opened.on('requestfailed', (request) => void problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
  opened.on('response', (response) => void (response.status() >= 400 && problems.push(`HTTP ${response.status()}: ${response.url()}`)));
  return opened;
}

const EXAMPLES = ['PaymentsWithLedger', 'HistoryPage', 'Metrics', 'PaymentStatus', 'EventLog'];

/** Opens an example's tab and runs it; the response pane's text once it shows something. */
async function runExample(on: Page, name: string): Promise<void> {
  await on.locator('.graphiql-tab', { hasText: name }).click();
  await on.waitForFunction(([selector, operation]) => (globalThis as any).document.querySelector(selector).CodeMirror.operationName === operation, [editors.query, name] as const);
  await on.locator('.graphiql-execute-button').click();
}
const responseOf = (on: Page) => on.evaluate((selector) => (globalThis as any).document.querySelector(selector).CodeMirror.getValue() as string, editors.response);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe('serving', () => {
  it('GET / and a browser’s GET /graphql give the explorer page under a self-only Content-Security-Policy', async () => {
    for (const [path, accept] of [['/', '*/*'], ['/graphql', 'text/html,application/xhtml+xml,*/*;q=0.8']] as const) {
      const response = await fetch(`${system.gatewayUrl}${path}`, { headers: { accept } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('<title>Paygraph explorer</title>');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("connect-src 'self';");
      expect(csp).not.toMatch(/unsafe-|https?:|\*/);
    }
  });

  it('introspection is answered with a key, and refused without one', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    expect((await system.query(analystKey, introspection)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const anonymous = await system.query(null, introspection);
    expect(anonymous.data ?? null).toBeNull();
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('other clients of GET /graphql still reach the GraphQL server', async () => {
    const response = await fetch(`${system.gatewayUrl}/graphql?query=${encodeURIComponent(QUERY)}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${analystKey}`, 'apollo-require-preflight': 'true' },
    });
    expect(await response.json()).toEqual({ data: { viewer: { role: 'ANALYST' } } });
  });
});

describe('in Chromium', () => {
  it('loads, and asks for a key before it can load the schema', async () => {
    await page.goto(system.gatewayUrl);
    await page.locator('.graphiql-container').waitFor();
    expect(await page.locator('#key-status').innerText()).toContain('No key yet');
    expect(await editorValue('query')).toContain('payments(first: 5)');
    const tabs = await page.locator('.graphiql-tab').allInnerTexts();
    expect(tabs.map((tab) => tab.trim())).toEqual(EXAMPLES);
  });

  it('with an API key, runs a metrics query and shows its rows in the result pane', async () => {
    await page.locator('#api-key').fill(analystKey);
    await page.locator('#api-key').press('Enter');
    await page.locator('#key-status', { hasText: 'Key saved' }).waitFor();
    await page.locator('.graphiql-query-editor .CodeMirror').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(metricsQuery);
    expect(await editorValue('query')).toBe(metricsQuery);
    // GraphiQL reads the operation name from the edited query 100 ms later (debounced); run it after that.
    await page.waitForFunction((selector) => (globalThis as any).document.querySelector(selector).CodeMirror.operationName === 'Metrics', editors.query);
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response', { hasText: '"PAYMENT_COUNT"' }).waitFor();
    expect(JSON.parse(await editorValue('response'))).toEqual({
      data: {
        metrics: {
          rows: [{ channel: 'CARD', currency: 'USD', values: [{ measure: 'PAYMENT_COUNT', value: '1' }, { measure: 'GMV', value: '12.50' }] }],
        },
      },
    });
  });

  it('keeps the key in this browser across a reload', async () => {
    await page.reload();
    await page.locator('.graphiql-container').waitFor();
    expect(await page.locator('#api-key').inputValue()).toBe(analystKey);
    expect(await page.locator('#key-status').innerText()).toContain('Key saved');
  });

  it('documents the schema: the doc explorer lists every Query field', async () => {
    const introspected = await system.query<{ __schema: { queryType: { fields: { name: string }[] } } }>(analystKey, '{ __schema { queryType { fields { name } } } }');
    const fields: string[] = expectNoErrors(introspected).__schema.queryType.fields.map((field) => field.name);
    expect(fields).toEqual(expect.arrayContaining(['viewer', 'metrics']));
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByRole('link', { name: 'Query', exact: true }).click();
    await page.locator('.graphiql-doc-explorer-title', { hasText: 'Query' }).waitFor();
    const listed = await page.locator('.graphiql-doc-explorer a.graphiql-doc-explorer-field-name').allInnerTexts();
    expect(listed.sort()).toEqual([...fields].sort());
  });

  it('opens with examples that each run without errors, on a MERCHANT key (its payment, history, metrics of today, events) and on ADMIN', async () => {
    for (const key of [merchantKey, system.adminKey]) {
      const fresh = await openPage();
      await fresh.goto(system.gatewayUrl);
      await fresh.locator('#api-key').fill(key);
      await fresh.locator('#api-key').press('Enter');
      await fresh.locator('#key-status', { hasText: 'Key saved' }).waitFor();
      const answers: Record<string, any> = {};
      for (const name of EXAMPLES.filter((example) => example !== 'PaymentStatus')) {
        await runExample(fresh, name);
        await fresh.waitForFunction((selector) => (globalThis as any).document.querySelector(selector).CodeMirror.getValue().startsWith('{'), editors.response);
        answers[name] = JSON.parse(await responseOf(fresh));
        expect(answers[name].errors, name).toBeUndefined();
      }
      await fresh.close();
      if (key !== merchantKey) continue;
      const [payment] = answers['PaymentsWithLedger'].data.payments.edges.map((edge: any) => edge.node);
      expect(payment).toMatchObject({ status: 'SUCCEEDED', amount: { amount: '12.50' }, fee: { currency: 'USD' } });
      expect(payment.ledgerEntries.length).toBeGreaterThan(0);
      expect(answers['HistoryPage'].data.transactions.edges.map((edge: any) => edge.node.payment.id)).toEqual([payment.id]);
      // today's payment is in the last 30 days
      expect(answers['Metrics'].data.metrics.rows.map((row: any) => row.values[0])).toEqual([{ measure: 'PAYMENT_COUNT', value: '1' }]);
      expect(answers['EventLog'].data.events.edges.map((edge: any) => edge.node.type)).toContain('payment.status_changed');
    }
  });

  it('runs the status subscription over WebSocket with the key, and shows an event as it arrives', async () => {
    const fresh = await openPage();
    await fresh.goto(system.gatewayUrl);
    await fresh.locator('#api-key').fill(merchantKey);
    await fresh.locator('#api-key').press('Enter');
    await fresh.locator('#key-status', { hasText: 'Key saved' }).waitFor();
    await runExample(fresh, 'PaymentStatus');
    // a subscription is live once admitted, which the protocol does not say: payments until one's event shows
    const deadline = Date.now() + 30_000;
    let shown: any = null;
    while (!shown && Date.now() < deadline) {
      const payment = await createPayment(system, merchantKey, { amount: '3.00' });
      shown = await fresh
        .waitForFunction(
          ([selector, id]) => (globalThis as any).document.querySelector(selector).CodeMirror.getValue().includes(id),
          [editors.response, payment.id] as const,
          { timeout: 2_000 },
        )
        .then(async () => JSON.parse(await responseOf(fresh)), () => null);
    }
    expect(shown).toMatchObject({ data: { paymentStatusChanged: { status: 'REQUIRES_CONFIRMATION', previousStatus: null, payment: { amount: { amount: '3.00' } } } } });
    expect(requested.some((url) => url.startsWith(system.gatewayUrl.replace(/^http/, 'ws')))).toBe(true);
    await fresh.locator('.graphiql-execute-button').click();
    await fresh.close();
  });

  it('loaded everything from the gateway, with nothing refused or failed', () => {
    const origin = new URL(system.gatewayUrl).origin;
    expect(requested).toContain(`${origin}/explorer/assets/graphiql/index.umd.js`);
    expect(requested).toContain(`${origin}/graphql`);
    const ownWebSocket = `${origin.replace(/^http/, 'ws')}/graphql`;
    expect(requested.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin && url !== ownWebSocket)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
