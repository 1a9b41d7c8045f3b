import { Counter, Histogram, type Registry } from 'prom-client';
import type { AttemptResult } from './processor.js';

const BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Job attempts by instance, action and result: the attempt-duration histogram, and the finished,
 * retry and pause counters. The metrics' label-bound children are made once per label set and
 * kept, so recording an attempt is a map lookup and two prom-client calls.
 */
export class AttemptSeries {
  private readonly duration: Histogram<'instance' | 'action' | 'result'>;
  private readonly finished: Counter<'instance' | 'action' | 'result'>;
  private readonly retries: Counter<'instance'>;
  private readonly pauses: Counter<'instance'>;
  private readonly bound = new Map<string, (seconds: number) => void>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.duration = new Histogram({
      name: 'orchester_job_attempt_duration_seconds',
      help: 'Duration of one job attempt through its connector.',
      labelNames: ['instance', 'action', 'result'],
      buckets: BUCKETS,
      registers,
    });
    this.finished = new Counter({
      name: 'orchester_jobs_finished_total',
      help: 'Jobs that ended, by result (succeeded or failed).',
      labelNames: ['instance', 'action', 'result'],
      registers,
    });
    this.retries = new Counter({
      name: 'orchester_job_retries_total',
      help: 'Failed attempts that will be retried with backoff.',
      labelNames: ['instance'],
      registers,
    });
    this.pauses = new Counter({
      name: 'orchester_rate_limit_pauses_total',
      help: 'Times a queue was paused because its service rate-limited us.',
      labelNames: ['instance'],
      registers,
    });
  }

  record(instance: string, action: string, result: AttemptResult, seconds: number): void {
    const key = `${instance}\u0000${action}\u0000${result}`;
    let record = this.bound.get(key);
    if (!record) {
      record = this.bind(instance, action, result);
      this.bound.set(key, record);
    }
    record(seconds);
  }

  private bind(instance: string, action: string, result: AttemptResult) {
    const duration = this.duration.labels({ instance, action, result });
    const counter =
      result === 'retry'
        ? this.retries.labels({ instance })
        : result === 'rate-limited'
          ? this.pauses.labels({ instance })
          : this.finished.labels({ instance, action, result });
    return (seconds: number) => {
      duration.observe(seconds);
      counter.inc();
    };
  }
}
