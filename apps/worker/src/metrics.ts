import type { MembershipJob, ServiceCall } from '@orchester/core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AttemptObserver } from './processor.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'] as const;

/** The worker's Prometheus metrics; `jobCounts` is asked on every scrape. */
export class WorkerMetrics implements AttemptObserver {
  readonly registry = new Registry();
  private readonly duration: Histogram;
  private readonly finished: Counter;
  private readonly retries: Counter;
  private readonly rateLimited: Counter;
  private readonly calls: Counter;
  private readonly calls429: Counter;

  constructor(
    jobCounts: () => Promise<ReadonlyArray<{ queue: string; counts: Record<string, number> }>>,
  ) {
    const registers = [this.registry];
    new Gauge({
      name: 'orchester_jobs',
      help: 'Jobs by state, per queue (one queue per connector instance).',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const { queue, counts } of await jobCounts()) {
          for (const state of JOB_STATES) this.set({ queue, state }, counts[state] ?? 0);
        }
      },
    });
    this.duration = new Histogram({
      name: 'orchester_job_attempt_duration_seconds',
      help: 'Duration of one job attempt through its connector.',
      labelNames: ['instance', 'action', 'result'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
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
    this.rateLimited = new Counter({
      name: 'orchester_rate_limit_pauses_total',
      help: 'Times a queue was paused because its service rate-limited us.',
      labelNames: ['instance'],
      registers,
    });
    this.calls = new Counter({
      name: 'orchester_service_calls_total',
      help: 'HTTP calls made to services, by instance, method, route template and status.',
      labelNames: ['instance', 'method', 'route', 'status'],
      registers,
    });
    this.calls429 = new Counter({
      name: 'orchester_service_429_total',
      help: 'Service calls answered 429 Too Many Requests.',
      labelNames: ['instance'],
      registers,
    });
  }

  attemptEnded(
    job: MembershipJob,
    outcome: 'succeeded' | 'failed' | 'retry' | 'rate-limited',
    durationMs: number,
  ): void {
    this.duration.observe(
      { instance: job.instance, action: job.action, result: outcome },
      durationMs / 1000,
    );
    if (outcome === 'succeeded' || outcome === 'failed')
      this.finished.inc({ instance: job.instance, action: job.action, result: outcome });
    else if (outcome === 'retry') this.retries.inc({ instance: job.instance });
    else this.rateLimited.inc({ instance: job.instance });
  }

  serviceCall(instance: string, call: ServiceCall): void {
    this.calls.inc({
      instance,
      method: call.method,
      route: call.route,
      status: String(call.status),
    });
    if (call.status === 429) this.calls429.inc({ instance });
  }
}
