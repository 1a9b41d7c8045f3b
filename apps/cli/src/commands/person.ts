import { resolve } from 'node:path';
import {
  type BatchReport,
  findPerson,
  loadRoster,
  type MembershipJob,
  newBatchId,
  offboardJobs,
  onboardJobs,
  type PersonRef,
  personJobs,
  samePerson,
} from '@orchester/core';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { openAudit, runInlineBatch } from '../inline-batch.js';
import { say } from '../io.js';
import { describeBatch } from '../output/describe-batch.js';
import { UsageError } from '../usage-error.js';

const PERSON_OPTIONS = {
  roster: { type: 'string' },
  email: { type: 'string' },
  github: { type: 'string' },
  trello: { type: 'string' },
  identity: { type: 'string', multiple: true },
  instances: { type: 'string' },
  role: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof PERSON_OPTIONS>>['values'];

/** `--identity github-oss=octocat` and the named shortcuts, as one map. */
function identitiesOf(command: string, values: Values): Record<string, string> {
  const out: Record<string, string> = {};
  if (values.github) out.github = values.github;
  if (values.trello) out.trello = values.trello;
  for (const pair of values.identity ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) {
      throw new UsageError(
        `${command}: --identity expects INSTANCE_OR_TYPE=ID (e.g. --identity github-oss=octocat); got "${pair}"`,
      );
    }
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

async function jobsFor(
  context: CommandContext,
  command: 'onboard' | 'offboard',
  query: string,
  values: Values,
  batchId: string,
): Promise<{ jobs: MembershipJob[]; person: PersonRef }> {
  const registry = context.registry();
  if (values.roster) {
    for (const flag of ['email', 'github', 'trello', 'identity', 'instances', 'role'] as const) {
      if (values[flag] !== undefined) {
        throw new UsageError(
          `${command}: --${flag} cannot be used with --roster; the roster says who the person is and where they belong`,
        );
      }
    }
    const roster = await loadRoster(resolve(context.cwd, values.roster), registry);
    const person = findPerson(roster, query);
    const jobs =
      command === 'onboard' ? onboardJobs(person, batchId) : offboardJobs(roster, person, batchId);
    if (jobs.length === 0) {
      throw new UsageError(
        `${command}: the roster assigns ${person.name} to no instance; add "access" or "groups" for them`,
      );
    }
    return { jobs, person: { name: person.name, email: person.email } };
  }
  const email = values.email ?? (query.includes('@') ? query : undefined);
  const identities = identitiesOf(command, values);
  if (!email && Object.keys(identities).length === 0) {
    throw new UsageError(
      `${command}: "${query}" is not an e-mail; give --email, --github/--trello/--identity, or --roster FILE to look the person up`,
    );
  }
  const instances = values.instances
    ? values.instances
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [...context.config().instances.keys()];
  if (instances.length === 0) {
    throw new UsageError(
      `${command}: no instance is configured; add one under "connectors" in config`,
    );
  }
  const jobs = await personJobs(
    command === 'onboard' ? 'add' : 'remove',
    { ...(email ? { email } : {}), identities },
    instances,
    registry,
    batchId,
    values.role ? { role: values.role } : {},
  );
  const name = query.includes('@') ? undefined : query;
  return {
    jobs,
    person: { ...(name ? { name } : {}), ...(email ? { email: email.toLowerCase() } : {}) },
  };
}

async function runPerson(
  context: CommandContext,
  command: 'onboard' | 'offboard',
): Promise<number> {
  const { values, positionals } = parseCommandArgs(command, context.argv, PERSON_OPTIONS);
  const [query] = expectPositionals(command, positionals, ['PERSON']);
  const batchId = newBatchId(context.clock.now());
  const { jobs, person } = await jobsFor(context, command, query!, values, batchId);
  // Config problems (a missing token) surface before any request, with or without a roster.
  const registry = context.registry();
  for (const instance of new Set(jobs.map((j) => j.instance))) {
    await registry.validatedConfig(instance);
  }
  const audit = openAudit(context);
  const report: BatchReport = await runInlineBatch(
    context,
    audit,
    batchId,
    jobs,
    samePerson(person),
  );
  if (values.json) say(context.io, JSON.stringify(report));
  else for (const line of describeBatch(report)) say(context.io, line);
  return report.totals.failed > 0 ? EXIT.service : EXIT.ok;
}

/** `orchest onboard PERSON [--roster FILE | --email ... --instances a,b]`: one person in, one batch. */
export const runOnboard = (context: CommandContext) => runPerson(context, 'onboard');
/** `orchest offboard PERSON [--roster FILE | ...]`: one person out of every instance, members and invitations alike. */
export const runOffboard = (context: CommandContext) => runPerson(context, 'offboard');
