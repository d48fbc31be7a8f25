// Metrics as CloudWatch embedded metric format on stdout (Powertools Metrics):
// no API calls; one EMF line per collector per invocation, and one per finished run.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TaskStats } from '../../core/engine/stats.ts';
import type { RunRecord } from '../../core/ledger/ledger.ts';
import type { Manifest } from '../../core/output/manifest.ts';

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

/**
 * One run's end, published once (by the delivery that ended it): per collector,
 * and the project-wide `RunsFailed` that the one alarm of the project watches
 * (dimension `service` only, so a new collector needs no alarm of its own).
 */
export function publishRunMetrics(metrics: Metrics, manifest: Manifest, record: RunRecord): void {
  const failed = manifest.status === 'succeeded' ? 0 : 1;
  const project = metrics.singleMetric();
  project.addMetric(failed ? 'RunsFailed' : 'RunsSucceeded', MetricUnit.Count, 1);
  metrics.addDimension('collector', manifest.collector);
  metrics.addMetric('RunSucceeded', MetricUnit.Count, 1 - failed);
  metrics.addMetric('RunFailed', MetricUnit.Count, failed);
  metrics.addMetric('RunRecords', MetricUnit.Count, manifest.records);
  metrics.addMetric('RunPages', MetricUnit.Count, manifest.pages);
  metrics.addMetric('RunFailedTasks', MetricUnit.Count, record.failedTasks);
  metrics.addMetric(
    'RunDroppedRecords',
    MetricUnit.Count,
    Object.values(manifest.dropped).reduce((n, v) => n + (v ?? 0), 0),
  );
  metrics.addMetric('RunDuration', MetricUnit.Seconds, Math.round(manifest.durationMs / 1000));
  metrics.publishStoredMetrics();
}

/** A run marked stalled, once. */
export function publishStalledMetrics(metrics: Metrics, collector: string): void {
  metrics.singleMetric().addMetric('RunsStalled', MetricUnit.Count, 1);
  metrics.addDimension('collector', collector);
  metrics.addMetric('RunStalled', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}
