import { Counter, type Registry } from 'prom-client';

/** resolved: the provider's answer changed it; unresolved: no news yet; provider_unavailable: asked again next run; error: a fault (logged) */
export type RecoveryOutcome = 'resolved' | 'unresolved' | 'provider_unavailable' | 'error';
export type RecoveryObserver = (subject: 'payment' | 'refund', outcome: RecoveryOutcome) => void;

/** paygraph_payment_recovery_resolutions_total{subject,outcome}: what each payment or refund the recovery job looked at came to. */
export function recoveryMetrics(registry: Registry): RecoveryObserver {
  const resolutions = new Counter({
    name: 'paygraph_payment_recovery_resolutions_total',
    help: 'Payments and refunds the recovery job asked their provider about, by subject and outcome',
    labelNames: ['subject', 'outcome'],
    registers: [registry],
  });
  return (subject, outcome) => resolutions.labels(subject, outcome).inc();
}
