import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AttemptSeries } from './attempt-series.js';

/** `name{labels} value` lines of a Prometheus text page, as a map. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

describe('AttemptSeries', () => {
  it('renders attempts as a cumulative histogram and as counters, through prom-client', async () => {
    const registry = new Registry();
    const series = new AttemptSeries(registry);
    const durations = [0.004, 0.01, 0.3, 40];
    for (const d of durations) series.record('gh', 'add', 'succeeded', d);
    series.record('gh', 'remove', 'failed', 0.07);
    series.record('gh', 'add', 'retry', 0.2);
    series.record('gh', 'remove', 'retry', 0.2);
    series.record('gh', 'add', 'rate-limited', 0.1);

    const page = samples(await registry.metrics());
    const added = 'instance="gh",action="add",result="succeeded"';
    const bucket = (le: string) =>
      page.get(`orchester_job_attempt_duration_seconds_bucket{le="${le}",${added}}`);
    // le is inclusive: 0.01 falls in the 0.01 bucket.
    expect(bucket('0.01')).toBe(2);
    expect(bucket('0.25')).toBe(2);
    expect(bucket('0.5')).toBe(3);
    expect(bucket('30')).toBe(3);
    expect(bucket('+Inf')).toBe(4);
    expect(page.get(`orchester_job_attempt_duration_seconds_count{${added}}`)).toBe(4);
    expect(page.get(`orchester_job_attempt_duration_seconds_sum{${added}}`)).toBeCloseTo(
      durations.reduce((a, b) => a + b, 0),
    );
    expect(page.get(`orchester_jobs_finished_total{${added}}`)).toBe(4);
    expect(
      page.get('orchester_jobs_finished_total{instance="gh",action="remove",result="failed"}'),
    ).toBe(1);
    // Retries and pauses are per instance, summed over actions.
    expect(page.get('orchester_job_retries_total{instance="gh"}')).toBe(2);
    expect(page.get('orchester_rate_limit_pauses_total{instance="gh"}')).toBe(1);
    expect(await registry.metrics()).toContain(
      '# TYPE orchester_job_attempt_duration_seconds histogram',
    );
  });
});
