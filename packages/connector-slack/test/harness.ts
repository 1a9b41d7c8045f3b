import { readFileSync } from 'node:fs';
import type { ConnectorInstance, ServiceCall } from '@orchester/core';
import { createTestContext, type LogLine } from '@orchester/core/testing';
import type { RequestLogEntry, RunningEmulator } from '@orchester/sandbox';
import {
  createSpecValidator,
  loadSpec,
  type SpecViolation,
  specRequestOf,
} from '@orchester/sandbox/spec-validator';
import slack from '../src/index.js';
import emulator, { type SlackSandboxState } from '../src/sandbox/index.js';

export type Slack = RunningEmulator<SlackSandboxState>;

export function startSlack(seed = 'demo'): Promise<Slack> {
  return emulator.start({ seed });
}

/** Everything a connector wrote to its logger, and the calls it recorded, for no-secret checks. */
export interface Captured {
  readonly logs: LogLine[];
  readonly calls: ServiceCall[];
}

/** A live instance for `block` (validated by the real config schema) against the emulator. */
export async function instanceFor(
  running: Slack,
  block: Record<string, unknown>,
  captured: Captured = { logs: [], calls: [] },
): Promise<ConnectorInstance<string>> {
  // orchester takes these out before the connector sees the block.
  const { base_url: _url, type: _type, limits: _limits, ...own } = block;
  const config = slack.configSchema.parse(own);
  return slack.create(
    createTestContext({
      instance: 'slack-test',
      config,
      baseUrl: running.url,
      calls: captured.calls,
      logs: captured.logs,
    }),
  );
}

/** Slack's 2020 description as published, and with the corrections of `slack.overlay.json`. */
const published = JSON.parse(
  readFileSync(new URL('./fixtures/slack.openapi.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const spec = loadSpec(new URL('./fixtures/slack.openapi.json', import.meta.url)) as {
  paths: Record<string, Record<string, unknown>>;
};
const validator = createSpecValidator(spec);
export const publishedValidator = createSpecValidator(published);

/** Why an answer is not checked against Slack's 2020 description (see fixtures/README.md). */
function unchecked(entry: RequestLogEntry): boolean {
  if (!entry.path.startsWith('/api/')) return true; // SCIM, legacy pages and OAuth consent: not in the spec
  const body = entry.responseBody as { ok?: boolean; error?: string } | undefined;
  if (entry.status === 429 || entry.status === 0 || entry.fault !== 'none') return true;
  return (
    body?.ok === false &&
    ['missing_scope', 'token_revoked', 'not_allowed_token_type'].includes(body.error ?? '')
  );
}

/**
 * Every Web API request and answer in the log checked against the corrected spec: the request's
 * parameters, then the answer, `ok:true` against `200` and `ok:false` against `default`. The
 * method is the request's where the spec has it (the overlay adds Slack's POST form to methods
 * the spec files under GET), else the spec's own.
 */
export function specViolations(requests: readonly RequestLogEntry[]): {
  checked: number;
  violations: SpecViolation[];
} {
  const violations: SpecViolation[] = [];
  let checked = 0;
  for (const entry of requests) {
    const path = entry.path.replace(/^\/api/, '');
    const declared = spec.paths[path];
    if (!declared || unchecked(entry)) continue;
    const own = entry.method.toLowerCase();
    const method = own in declared ? own : (Object.keys(declared)[0] ?? 'post');
    const ok = (entry.responseBody as { ok?: boolean } | undefined)?.ok === true;
    checked += 1;
    violations.push(
      ...validator.validateRequest({ ...specRequestOf(entry, '/api'), method }),
      ...validator.validate({
        method,
        path,
        status: entry.status,
        body: entry.responseBody,
        ...(ok ? {} : { responseKey: 'default' }),
      }),
    );
  }
  return { checked, violations };
}
