import { resolve } from 'node:path';
import {
  accessChecks,
  type BatchReport,
  describeProblems,
  draftPersonJobs,
  findPerson,
  loadRoster,
  type MembershipJob,
  newBatchId,
  offboardJobs,
  onboardJobs,
  type PersonRef,
  samePerson,
  verifyOffboarding,
  withoutUnrecordedEmails,
} from '@orchester/runtime';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import type { FlagValues } from '../command-spec.js';
import { openDispatch, type QueuedDispatch } from '../dispatch.js';
import { EXIT } from '../exit-codes.js';
import { say } from '../io.js';
import { describeWho } from '../output/describe-access.js';
import { describeBatch } from '../output/describe-batch.js';
import { describeVerification } from '../output/describe-verification.js';
import { openScheduledDispatch, parseAt, sayScheduled } from '../schedule.js';
import { OFFBOARD, ONBOARD } from '../specs/person.js';
import { UsageError } from '../usage-error.js';

type Command = 'onboard' | 'offboard' | 'who';
/** onboard's flags; offboard's are the same without --role, with --at. */
type Values = FlagValues<typeof ONBOARD.flags> & { readonly at?: string };

/** `KEY=VALUE` with both sides non-empty, or undefined. */
function splitPair(pair: string): { key: string; value: string } | undefined {
  const eq = pair.indexOf('=');
  if (eq <= 0 || eq === pair.length - 1) return undefined;
  return { key: pair.slice(0, eq).trim(), value: pair.slice(eq + 1) };
}

/** Values by key; a key given more than once is a problem, not a silent last-wins. */
function once(what: string, given: ReadonlyMap<string, string[]>, problems: string[]) {
  const out: Record<string, string> = {};
  for (const [key, values] of given) {
    if (values.length > 1) {
      problems.push(`${what} "${key}": given twice (${values.map((v) => `"${v}"`).join(', ')})`);
    } else out[key] = values[0]!;
  }
  return out;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  map.set(key, [...(map.get(key) ?? []), value]);
}

/** `--github`, `--trello` and `--identity INSTANCE_OR_TYPE=ID`, as one map by key. */
function identitiesOf(values: Values, problems: string[]): Record<string, string> {
  const given = new Map<string, string[]>();
  if (values.github !== undefined) push(given, 'github', values.github);
  if (values.trello !== undefined) push(given, 'trello', values.trello);
  for (const pair of values.identity ?? []) {
    const split = splitPair(pair);
    if (split) push(given, split.key, split.value);
    else {
      problems.push(
        `--identity "${pair}": expected INSTANCE_OR_TYPE=ID (e.g. --identity github-oss=octocat)`,
      );
    }
  }
  return once('identity', given, problems);
}

/** `--role R` (every target) and `--role INSTANCE_OR_TYPE=R` (that one). */
function rolesOf(values: Values, problems: string[]) {
  const bare: string[] = [];
  const keyed = new Map<string, string[]>();
  for (const value of values.role ?? []) {
    if (!value.includes('=')) {
      bare.push(value);
      continue;
    }
    const split = splitPair(value);
    if (split) push(keyed, split.key, split.value);
    else problems.push(`--role "${value}": expected ROLE or INSTANCE_OR_TYPE=ROLE`);
  }
  if (bare.length > 1) {
    problems.push(
      `--role: ${bare.map((r) => `"${r}"`).join(', ')} all for every target; give one, and INSTANCE_OR_TYPE=ROLE for the others`,
    );
  }
  return { ...(bare.length === 1 ? { role: bare[0]! } : {}), roles: once('role', keyed, problems) };
}

async function rosterJobs(
  context: CommandContext,
  command: Command,
  query: string,
  values: Values,
  batchId: string,
): Promise<{ jobs: MembershipJob[]; person: PersonRef }> {
  const flags = (['email', 'github', 'trello', 'identity', 'instances', 'role'] as const).filter(
    (f) => values[f] !== undefined,
  );
  if (flags.length > 0) {
    throw new UsageError(
      `${command}: ${flags.map((f) => `--${f}`).join(', ')} cannot be used with --roster; the roster says who the person is and where they belong`,
    );
  }
  const registry = context.registry();
  const roster = await loadRoster(resolve(context.cwd, values.roster!), registry);
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

/**
 * Jobs from flags: every identity, instance and role checked, every problem listed at once.
 * `who` drafts the removals offboard would run, to check each of their identifiers.
 */
export async function flagJobs(
  context: CommandContext,
  command: Command,
  query: string,
  values: Omit<Values, 'role'>,
  batchId: string,
): Promise<{ jobs: MembershipJob[]; person: PersonRef }> {
  const problems: string[] = [];
  const identities = identitiesOf(values, problems);
  const roles = command === 'onboard' ? rolesOf(values as Values, problems) : { roles: {} };
  const queryEmail = query.includes('@') ? query : undefined;
  if (
    values.email !== undefined &&
    queryEmail &&
    values.email.trim().toLowerCase() !== queryEmail.trim().toLowerCase()
  ) {
    problems.push(`--email "${values.email}" is not PERSON "${query}"; give the e-mail once`);
  }
  const email = values.email ?? queryEmail;
  const instances = values.instances
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (instances?.length === 0) {
    problems.push('--instances: give instance names, e.g. --instances github-corp,slack');
  }
  if (!email && Object.keys(identities).length === 0) {
    problems.push(
      `"${query}" is not an e-mail; give --email, --github/--trello/--identity, or --roster FILE to look the person up`,
    );
  } else {
    const draft = await draftPersonJobs(
      command === 'onboard' ? 'add' : 'remove',
      { ...(email !== undefined ? { email } : {}), identities },
      { ...(instances?.length ? { instances } : {}), ...roles },
      context.registry(),
      batchId,
    );
    problems.push(...draft.problems);
    if (problems.length === 0) {
      const name = queryEmail ? undefined : query;
      return {
        jobs: draft.jobs,
        person: {
          ...(name ? { name } : {}),
          ...(email ? { email: email.trim().toLowerCase() } : {}),
        },
      };
    }
  }
  throw new UsageError(`${command}: ${describeProblems(problems)}`);
}

async function runPerson(context: CommandContext, command: Command): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    command === 'onboard' ? ONBOARD : OFFBOARD,
    context.argv,
  ) as { values: Values; positionals: string[] };
  const [query] = expectPositionals(command, positionals, ['PERSON']);
  const batchId = newBatchId(context.clock.now());
  // A scheduled offboarding needs the queue: refused before anything else is read.
  const runAt = values.at === undefined ? undefined : parseAt(values.at, context.clock.now());
  const queue = runAt === undefined ? undefined : await openScheduledDispatch(context, runAt);
  try {
    return await personBatch(
      context,
      command,
      query!,
      values,
      batchId,
      queue && { queue, runAt: runAt! },
    );
  } finally {
    await queue?.close();
  }
}

async function personBatch(
  context: CommandContext,
  command: Command,
  query: string,
  values: Values,
  batchId: string,
  scheduled: { queue: QueuedDispatch; runAt: number } | undefined,
): Promise<number> {
  const drafted = values.roster
    ? await rosterJobs(context, command, query, values, batchId)
    : await flagJobs(context, command, query, values, batchId);
  const { person } = drafted;
  // Config problems (a missing token) surface before any request, with or without a roster.
  const registry = context.registry();
  let jobs = drafted.jobs;
  let skipped: MembershipJob[] = [];
  if (command === 'offboard') ({ jobs, skipped } = await withoutUnrecordedEmails(jobs, registry));
  if (!values.json) {
    for (const j of skipped) {
      say(
        context.io,
        `${j.identifier}: not removed by e-mail from ${j.instance}: the service hides e-mail addresses and orchester never invited this one there; the other identifier removes the account`,
      );
    }
  }
  for (const instance of new Set(jobs.map((j) => j.instance))) {
    await registry.validatedConfig(instance);
  }
  if (scheduled) return schedule(context, scheduled, batchId, jobs, values.json === true);
  // Else always here: a person's on/offboarding ends with what happened, and offboarding with a check.
  const dispatch = await openDispatch(context, { queue: false, audit: true });
  const report: BatchReport = await dispatch.run(batchId, jobs, {
    personOf: samePerson(person),
  });
  const failed = report.totals.failed > 0;
  if (command === 'onboard') {
    if (values.json) say(context.io, JSON.stringify(report));
    else for (const line of describeBatch(report, context.paint)) say(context.io, line);
    return failed ? EXIT.service : EXIT.ok;
  }
  // Offboarding ends with a look at the services: a removal that answered well is not yet proof
  // that nothing is left. Checks are never audited, so the audit trail keeps the removals only.
  const checks = await dispatch.run(batchId, accessChecks(jobs));
  const verification = verifyOffboarding(checks.jobs);
  const notByEmail = skipped.map(({ instance, identifier }) => ({ instance, identifier }));
  if (values.json)
    say(
      context.io,
      JSON.stringify({
        ...report,
        verification,
        ...(notByEmail.length > 0 ? { notRemovedByEmail: notByEmail } : {}),
      }),
    );
  else {
    for (const line of describeBatch(report, context.paint)) say(context.io, line);
    // The same table `orchest who` prints, then the verdict.
    for (const line of describeWho(verification, context.paint)) say(context.io, line);
    for (const line of describeVerification(verification, context.paint)) say(context.io, line);
  }
  return failed || !verification.verified ? EXIT.service : EXIT.ok;
}

/** Puts the jobs on the worker's queue to run at `runAt`; the worker audits them when they run. */
async function schedule(
  context: CommandContext,
  { queue, runAt }: { queue: QueuedDispatch; runAt: number },
  batchId: string,
  jobs: readonly MembershipJob[],
  json: boolean,
): Promise<number> {
  const result = await queue.enqueue(batchId, jobs);
  const scheduledFor = new Date(runAt).toISOString();
  if (json) {
    say(
      context.io,
      JSON.stringify({
        ok: true,
        batchId,
        scheduledFor,
        jobs: jobs.map(({ instance, action, identifier }) => ({ instance, action, identifier })),
        enqueued: result.enqueued,
      }),
    );
    return EXIT.ok;
  }
  for (const j of jobs) say(context.io, `${j.identifier}: to be removed from ${j.instance}`);
  say(
    context.io,
    `batch ${batchId}: ${jobs.length} ${jobs.length === 1 ? 'job' : 'jobs'} on ${queue.client.redisUrl}`,
  );
  sayScheduled(context, batchId, runAt);
  return EXIT.ok;
}

/** `orchest onboard PERSON [--roster FILE | --email ... --instances a,b --role R]`: one person in, one batch. */
export const runOnboard = (context: CommandContext) => runPerson(context, 'onboard');
/**
 * `orchest offboard PERSON [--roster FILE | ...]`: one person out of every instance, members and
 * invitations alike, then a check of every identifier on every instance.
 */
export const runOffboard = (context: CommandContext) => runPerson(context, 'offboard');
