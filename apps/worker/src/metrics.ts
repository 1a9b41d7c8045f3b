import type { ServiceCall } from '@orchester/core';
import type { MembershipJob } from '@orchester/runtime';
import { Counter, Gauge, Registry } from 'prom-client';
import { AttemptSeries } from './attempt-series.js';
import type { AttemptObserver, AttemptResult } from './processor.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'] as const;

/** The worker's Prometheus metrics; `jobCounts` is asked on every scrape. */
export class WorkerMetrics implements AttemptObserver {
  readonly registry = new Registry();
  private readonly attempts: AttemptSeries;
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
    this.attempts = new AttemptSeries(this.registry);
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

  attemptEnded(job: MembershipJob, outcome: AttemptResult, durationMs: number): void {
    this.attempts.record(job.instance, job.action, outcome, durationMs / 1000);
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
