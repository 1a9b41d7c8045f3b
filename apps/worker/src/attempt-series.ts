import type { MetricValue, Registry } from 'prom-client';
import type { AttemptResult } from './processor.js';

const BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Series {
  readonly instance: string;
  readonly action: string;
  readonly result: AttemptResult;
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** What prom-client's registry asks of a metric when it renders `/metrics`. */
interface ExposedMetric {
  name: string;
  readonly help: string;
  readonly type: 'histogram' | 'counter';
  readonly aggregator: 'sum';
  get(): {
    name: string;
    help: string;
    type: string;
    aggregator: 'sum';
    values: MetricValue<string>[];
  };
  reset(): void;
}

/**
 * Job attempts by instance, action and result, kept in plain arrays and shown through
 * prom-client as the attempt-duration histogram and the finished, retry and pause counters.
 * Recording an attempt is a map lookup and three additions: prom-client's own metrics check
 * and hash their labels on every call, which costs more than the job at thousands per second.
 */
export class AttemptSeries {
  private readonly series = new Map<string, Series>();

  record(instance: string, action: string, result: AttemptResult, seconds: number): void {
    const key = `${instance}\u0000${action}\u0000${result}`;
    let s = this.series.get(key);
    if (!s) {
      s = {
        instance,
        action,
        result,
        buckets: new Array(BUCKETS.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      this.series.set(key, s);
    }
    let i = 0;
    while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++;
    s.buckets[i]! += 1;
    s.sum += seconds;
    s.count += 1;
  }

  /** Registers the four metrics this series feeds. */
  registerIn(registry: Registry): void {
    const add = (metric: ExposedMetric) =>
      registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
    add(
      this.metric(
        'orchester_job_attempt_duration_seconds',
        'Duration of one job attempt through its connector.',
        'histogram',
        () => this.histogramValues(),
      ),
    );
    add(
      this.metric(
        'orchester_jobs_finished_total',
        'Jobs that ended, by result (succeeded or failed).',
        'counter',
        () =>
          this.counts(
            (s) => s.result === 'succeeded' || s.result === 'failed',
            (s) => ({ instance: s.instance, action: s.action, result: s.result }),
          ),
      ),
    );
    add(
      this.metric(
        'orchester_job_retries_total',
        'Failed attempts that will be retried with backoff.',
        'counter',
        () =>
          this.counts(
            (s) => s.result === 'retry',
            (s) => ({ instance: s.instance }),
          ),
      ),
    );
    add(
      this.metric(
        'orchester_rate_limit_pauses_total',
        'Times a queue was paused because its service rate-limited us.',
        'counter',
        () =>
          this.counts(
            (s) => s.result === 'rate-limited',
            (s) => ({ instance: s.instance }),
          ),
      ),
    );
  }

  private metric(
    name: string,
    help: string,
    type: 'histogram' | 'counter',
    values: () => MetricValue<string>[],
  ): ExposedMetric {
    return {
      name,
      help,
      type,
      aggregator: 'sum',
      get() {
        return { name: this.name, help, type, aggregator: 'sum', values: values() };
      },
      reset: () => this.series.clear(),
    };
  }

  private histogramValues(): MetricValue<string>[] {
    const values: MetricValue<string>[] = [];
    for (const s of this.series.values()) {
      const labels = { instance: s.instance, action: s.action, result: s.result };
      let cumulative = 0;
      for (let i = 0; i <= BUCKETS.length; i++) {
        cumulative += s.buckets[i]!;
        values.push({
          labels: { ...labels, le: i < BUCKETS.length ? BUCKETS[i]! : '+Inf' },
          value: cumulative,
          metricName: 'orchester_job_attempt_duration_seconds_bucket',
        } as MetricValue<string>);
      }
      values.push({
        labels,
        value: s.sum,
        metricName: 'orchester_job_attempt_duration_seconds_sum',
      } as MetricValue<string>);
      values.push({
        labels,
        value: s.count,
        metricName: 'orchester_job_attempt_duration_seconds_count',
      } as MetricValue<string>);
    }
    return values;
  }

  /** Counts summed over the series `keep` selects, by the labels `labelsOf` gives. */
  private counts(
    keep: (s: Series) => boolean,
    labelsOf: (s: Series) => Record<string, string>,
  ): MetricValue<string>[] {
    const byLabels = new Map<string, { labels: Record<string, string>; value: number }>();
    for (const s of this.series.values()) {
      if (!keep(s)) continue;
      const labels = labelsOf(s);
      const key = JSON.stringify(labels);
      const entry = byLabels.get(key) ?? { labels, value: 0 };
      entry.value += s.count;
      byLabels.set(key, entry);
    }
    return [...byLabels.values()];
  }
}
