/**
 * `npm run chaos`: every service its own process on PostgreSQL and Redis (append-only file), clients
 * doing partner flows with retries, faults on a schedule (kill -9 of each service in turn, Redis
 * killed and once wiped, PostgreSQL restarted with -m immediate), a status subscriber; then heal,
 * settle, and check the invariants. Exits 1 when any is violated. See docs/chaos.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isolatedEnv } from '../../system/topology.js';
import { startPostgresCluster } from '../../tools/postgres-cluster.js';
import { startRedisServer } from '../../tools/redis-server.js';
import { describeOutcome, mutator, newLedger, request } from './api.js';
import { checkInvariants } from './checks.js';
import { runFaults } from './faults.js';
import { newClientView, outcomeDetail, runOneFlow, runRefundStorm, type FlowContext } from './flows.js';
import { readAcquirer, readOurRecords, type OurRecords } from './records.js';
import { invariantTable, seconds, table, violationExamples } from './report.js';
import { loadChaosSettings, seededRandom } from './settings.js';
import { startStatusFeed } from './subscriber.js';
import { startChaosSystem } from './system.js';

const settings = loadChaosSettings();
const began = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - began) / 1000).toFixed(1).padStart(6)} s] ${line}`);
const loads: number[] = [];
const sampling = setInterval(() => loads.push(loadavg()[0]!), 5_000);
const day = (at: number, offsetHours = 0) => new Date(at + offsetHours * 3_600_000).toISOString().slice(0, 10);

log(`chaos: ${settings.seconds} s of load, ${settings.clients} clients, ${settings.gateways} gateways, seed ${settings.seed}`);
const cleanup: (() => Promise<void>)[] = [];
let exitCode = 1;
try {
  const cluster = await startPostgresCluster();
  cleanup.push(() => cluster.stop());
  const databaseUrl = await cluster.createDatabase('paygraph');
  const redis = await startRedisServer({ persistence: 'aof' });
  cleanup.push(() => redis.stop());
  const dataDir = mkdtempSync(join(tmpdir(), 'paygraph-chaos-'));
  cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const logDir = settings.logDir ?? mkdtempSync(join(tmpdir(), 'paygraph-chaos-logs-'));
  log(`PostgreSQL ${cluster.url}, Redis ${redis.url} (append-only file), service logs in ${logDir}`);

  const env = {
    ...process.env,
    // NODE_ENV=test: production refuses SANDBOX, and the simulators are the providers here
    ...isolatedEnv(),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    DATA_DIR: dataDir,
    // short, so that what a fault leaves in flight resolves within the run's tail
    PAYMENT_RECOVERY_AFTER: '5s',
    PAYMENT_RECOVERY_INTERVAL: '2s',
    EVENT_CLAIM_IDLE: '3s',
    EVENT_BACKFILL_INTERVAL: '5s',
  };
  const system = await startChaosSystem({ env, gateways: settings.gateways, logDir, log });
  cleanup.unshift(() => system.stop());
  log(`system up: ${system.services.map((s) => `${s.name} ${s.url}`).join(', ')}`);

  const gateway = `${system.gatewayUrls[0]}/graphql`;
  let apiKey = '';
  for (let attempt = 0; !apiKey; attempt++) {
    const answer = await request(gateway, env.ADMIN_API_KEY, 'mutation { createMerchant(input: { name: "chaos" }) { apiKey } }', {});
    if (answer.kind === 'data') apiKey = String((answer.data['createMerchant'] as { apiKey: string }).apiKey);
    else if (attempt > 60) throw new Error(`createMerchant: ${JSON.stringify(answer)}`);
    else await delay(500);
  }
  const feed = startStatusFeed(system.gatewayUrls, apiKey, log);
  await delay(1_000);

  const ledger = newLedger();
  const view = newClientView();
  const random = seededRandom(settings.seed);
  const run = randomBytes(3).toString('hex');
  const context = (index: number): FlowContext => ({
    api: mutator({ gatewayUrls: system.gatewayUrls, apiKey, ledger, deadlineMs: settings.retryDeadlineMs, start: index }),
    view,
    random: seededRandom(Math.floor(random() * 2 ** 31)),
    prefix: `${run}-c${index}`,
  });

  const loadStarted = Date.now();
  const loadEnds = loadStarted + settings.seconds * 1000;
  let loadOver = false;
  const progress = setInterval(() => {
    const refunds = [...ledger.keys.values()].filter((k) => k.operation === 'refundPayment').length;
    log(`progress: ${view.payments.size} payments, ${refunds} refund keys, ${ledger.mutations} mutations, ${ledger.retries} retries, ${feed.record.events.length} events heard, load ${loadavg()[0]!.toFixed(2)}`);
  }, 15_000);
  const clients = Array.from({ length: settings.clients }, async (_, index) => {
    const mine = context(index);
    let stormed = index !== 0;
    while (Date.now() < loadEnds) {
      if (!stormed && Date.now() > loadStarted + settings.seconds * 400) {
        stormed = true;
        log('refund storm: 20 concurrent requests with one refund key');
        await runRefundStorm(mine).catch((error: unknown) => log(`refund storm: ${String(error)}`));
        continue;
      }
      await runOneFlow(mine).catch((error: unknown) => log(`client ${index}: ${String(error)}`));
    }
  });
  const faults = runFaults(
    { system, redis, cluster, apiKey, probeContext: context(settings.clients) },
    { seconds: settings.seconds, startedAt: loadStarted, log, stopped: () => loadOver },
  );
  await Promise.all(clients);
  loadOver = true;
  log('load over: the clients have their answers (or gave up)');
  const { planned: faultsPlanned, records: faultRecords } = await faults;
  clearInterval(progress);

  // heal: every process and Redis up
  for (const service of system.services) if (!service.up()) await service.start();
  const healedAt = Date.now();
  log('healed: every service up');

  // a retry long after: every key that needed retries, the storm's, and some others, sent once more
  const keys = [...ledger.keys.values()];
  const replay = keys.filter((k) => k.answers.length > 0 && (k.attempts > 1 || k.key.includes('storm') || random() < 0.05));
  const replayer = context(settings.clients + 1);
  for (const key of replay) await replayer.api.mutate(key.operation, key.query, key.variables, key.key, key.operation, outcomeDetail(key.operation));
  log(`replayed ${replay.length} keys`);

  // settle: in-flight states resolved, consumers and the subscriber caught up (or nothing moves any more)
  let records: OurRecords = await readOurRecords(databaseUrl);
  let inFlightResolvedAt: number | null = null;
  let lastChange = Date.now();
  let lastFingerprint = '';
  const settleEnds = Date.now() + settings.settleMs;
  for (;;) {
    records = await readOurRecords(databaseUrl);
    const inFlight = records.payments.filter((p) => p.status === 'PROCESSING').length + records.refunds.filter((r) => r.status === 'PENDING').length;
    if (inFlight === 0) inFlightResolvedAt ??= Date.now();
    const lastHeard = new Map(feed.record.events.map((e) => [e.paymentId, e.status]));
    const unheard = records.payments.filter((p) => lastHeard.get(p.id) !== p.status).length;
    const inboxes = records.inboxes.filter((i) => !i.consumer.endsWith(':accounting')).reduce((n, i) => n + i.lastSequence, 0);
    const fingerprint = `${inFlight}:${unheard}:${inboxes}:${records.transactions.length}:${records.journals.length}`;
    if (fingerprint !== lastFingerprint) lastChange = Date.now();
    lastFingerprint = fingerprint;
    const expectedInbox = records.payments.reduce((n, p) => n + p.eventSequence, 0) * 3;
    const settled = inFlight === 0 && unheard === 0 && inboxes === expectedInbox;
    if (settled || Date.now() > settleEnds || Date.now() - lastChange > 30_000) {
      log(settled ? 'settled' : `not settled: ${inFlight} in flight, ${unheard} payments whose last status the subscriber has not heard, payment events' consumers at ${inboxes} of ${expectedInbox}`);
      break;
    }
    await delay(1_000);
  }
  const settledAt = Date.now();

  const admin = mutator({ gatewayUrls: system.gatewayUrls, apiKey: env.ADMIN_API_KEY, ledger: newLedger(), deadlineMs: 30_000, start: 0 });
  const merchantApi = mutator({ gatewayUrls: system.gatewayUrls, apiKey, ledger: newLedger(), deadlineMs: 30_000, start: 0 });
  const verified = await admin.read('{ verifyLedger { ok entriesChecked firstInvalidEntryId } }', {});
  const metricsAnswer = await merchantApi.read(
    'query($from: DateTime!, $to: DateTime!) { metrics(query: { measures: [PAYMENT_COUNT, SUCCEEDED_COUNT, GMV, REFUNDED_AMOUNT], dimensions: [CURRENCY], from: $from, to: $to }) { rows { currency values { measure value } } } }',
    { from: new Date(began - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() },
  );
  const metricRows = (metricsAnswer?.['metrics'] as { rows: { currency: string; values: { measure: string; value: string }[] }[] } | undefined)?.rows;
  const metrics = metricRows?.flatMap((row) => row.values.map((v) => ({ measure: v.measure, currency: row.currency, value: v.measure.endsWith('_COUNT') ? Number(v.value) : Math.round(Number(v.value) * 100) }))) ?? null;
  const reconciliation: { channel: string; date: string; discrepancies: string[] }[] = [];
  const days = (offset: number) => [...new Set([day(began, offset), day(Date.now(), offset)])];
  for (const [channel, offset] of [['CARD', 0], ['ALIPAY', 8], ['WECHAT_PAY', 8]] as const) {
    for (const date of days(offset)) {
      const answer = await admin.act('mutation($input: RunReconciliationInput!) { runReconciliation(input: $input) { matched discrepancies { type paymentId detail } } }', { input: { channel, date } });
      const report = answer.kind === 'data' ? (answer.data['runReconciliation'] as { discrepancies: { type: string; paymentId: string | null; detail: string }[] }) : null;
      reconciliation.push({ channel, date, discrepancies: report ? report.discrepancies.map((d) => `${d.type} ${d.paymentId ?? ''} ${d.detail}`) : [`runReconciliation: ${JSON.stringify(answer).slice(0, 200)}`] });
    }
  }
  const acquirer = await readAcquirer(system.byName('card-simulator').url, env.CARD_PROVIDER_API_KEY, days(0));
  log(`the acquirer's effects read from its ${acquirer.source}`);
  await feed.close();

  const results = checkInvariants({
    records: { ...records, settlement: acquirer.rows, voided: acquirer.voided },
    keys,
    feed: feed.record,
    ledgerVerified: (verified?.['verifyLedger'] as { ok: boolean; entriesChecked: number } | undefined) ?? null,
    metrics,
    reconciliation,
  });

  const ours = records.payments;
  const byStatus = [...new Set(ours.map((p) => p.status))].map((s) => `${s} ${ours.filter((p) => p.status === s).length}`).join(', ');
  const refundRows = records.refunds;
  const mutationRetries = keys.reduce((n, k) => n + k.attempts - 1, 0);
  const unplanned = system.services.filter((s) => s.unplannedExits() > 0).map((s) => `${s.name} ${s.unplannedExits()}`);
  console.log('');
  console.log(table(['figure', 'value'], [
    ['load', `${settings.seconds} s, ${settings.clients} clients, seed ${settings.seed}`],
    ['flows', [...view.flows].map(([name, n]) => `${name} ${n}`).join(', ')],
    ['flows abandoned (no payment created)', String([...view.abandoned.values()].reduce((a, b) => a + b, 0))],
    ['payments', `${ours.length} (${byStatus})`],
    ['refunds', `${refundRows.length} (${[...new Set(refundRows.map((r) => r.status))].map((s) => `${s} ${refundRows.filter((r) => r.status === s).length}`).join(', ')})`],
    ['mutations (idempotency keys)', `${ledger.mutations} (${keys.length} keys; ${replay.length} replayed at the end)`],
    ['retries of mutations', `${mutationRetries} (${[...ledger.retryReasons].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([r, n]) => `${r} ${n}`).join(', ')})`],
    ['faults injected', `${faultRecords.length} (${faultsPlanned - faultRecords.length} not injected before the load ended)`],
    ...faultRecords.map((f) => [`  at ${seconds(f.at - loadStarted)}: ${f.what}`, `answering again after ${seconds(f.recoveredAfterMs)}`]),
    ['unplanned exits (restarted by the supervisor)', unplanned.join(', ') || 'none'],
    ['in-flight states resolved after healing', inFlightResolvedAt === null ? 'not within the settle phase' : seconds(inFlightResolvedAt - healedAt)],
    ['settle phase', seconds(settledAt - healedAt)],
    ['subscriber', `${feed.record.events.length} events, ${feed.record.resumes} resumes (${[...feed.record.endings].map(([w, n]) => `${w} ${n}`).join(', ')})`],
    ['load average (1 min)', `mean ${(loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length)).toFixed(2)}, max ${Math.max(0, ...loads).toFixed(2)} on ${settings.clients} clients`],
    ['wall time', seconds(Date.now() - began)],
  ], false));
  console.log('');
  console.log(invariantTable(results));
  const examples = violationExamples(results);
  if (examples.length) console.log(`\nexamples:\n${examples.join('\n')}`);
  const total = results.reduce((n, r) => n + r.violations, 0);
  console.log(`\n${total} violations`);
  const storm = keys.find((k) => k.key.includes('storm'));
  if (storm) console.log(`refund storm: ${storm.answers.length} answers, first ${describeOutcome(storm.answers[0]?.outcome ?? null)}`);
  exitCode = total === 0 ? 0 : 1;
} catch (error) {
  console.error(error);
} finally {
  clearInterval(sampling);
  for (const step of cleanup) await step().catch((error: unknown) => console.error(`cleanup: ${String(error)}`));
}
process.exit(exitCode);
