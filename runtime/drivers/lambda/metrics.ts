// Metrics as CloudWatch embedded metric format on stdout (Powertools Metrics):
// no API calls, one EMF line per collector per invocation.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TaskStats } from '../../core/engine/stats.ts';

export function createLambdaMetrics(env: Readonly<Record<string, string | undefined>>): Metrics {
  return new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE || 'collect', serviceName: env.POWERTOOLS_SERVICE_NAME || 'collect' });
}

export interface CollectorTotals {
  pages: number;
  records: number;
  failures: number;
  retries: number;
  bytes: number;
  /** Tasks handed back to SQS for another delivery. */
  tasksRetried: number;
}

export function emptyTotals(): CollectorTotals {
  return { pages: 0, records: 0, failures: 0, retries: 0, bytes: 0, tasksRetried: 0 };
}

export function addTaskStats(into: CollectorTotals, stats: TaskStats): void {
  into.pages += stats.pages;
  into.records += stats.records;
  into.failures += stats.failures;
  into.retries += stats.retries;
  into.bytes += stats.bytes;
}

export function publishMetrics(metrics: Metrics, totals: ReadonlyMap<string, CollectorTotals>): void {
  for (const [collector, t] of totals) {
    metrics.addDimension('collector', collector);
    metrics.addMetric('Pages', MetricUnit.Count, t.pages);
    metrics.addMetric('Records', MetricUnit.Count, t.records);
    metrics.addMetric('Failures', MetricUnit.Count, t.failures);
    metrics.addMetric('Retries', MetricUnit.Count, t.retries);
    metrics.addMetric('TaskRetries', MetricUnit.Count, t.tasksRetried);
    metrics.addMetric('Bytes', MetricUnit.Bytes, t.bytes);
    metrics.publishStoredMetrics();
  }
}
