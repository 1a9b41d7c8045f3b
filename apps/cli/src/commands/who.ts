import { resolve } from 'node:path';
import {
  accessChecks,
  describeProblems,
  draftPersonJobs,
  findPerson,
  loadRoster,
  type MembershipJob,
  newBatchId,
  type OffboardVerification,
  type PersonRef,
  verifyOffboarding,
  withoutUnrecordedEmails,
} from '@orchester/runtime';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import { openDispatch } from '../dispatch.js';
import { EXIT } from '../exit-codes.js';
import { say } from '../io.js';
import { describeWho, whoRows } from '../output/describe-access.js';
import { WHO } from '../specs/access.js';
import { UsageError } from '../usage-error.js';
import { flagJobs } from './person.js';

/** The instances of `--instances a,b`, or undefined for every configured one. */
function instancesFlag(value: string | undefined): string[] | undefined {
  const names = value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (value !== undefined && names?.length === 0) {
    throw new UsageError(
      'who: --instances: give instance names, e.g. --instances github-corp,slack',
    );
  }
  return names;
}

/** The removals offboard would run for the roster person, on every configured instance. */
async function rosterRemovals(
  context: CommandContext,
  query: string,
  values: ReturnType<typeof parseWho>['values'],
  batchId: string,
): Promise<{ jobs: MembershipJob[]; person: PersonRef }> {
  const flags = (['email', 'github', 'trello', 'identity'] as const).filter(
    (f) => values[f] !== undefined,
  );
  if (flags.length > 0) {
    throw new UsageError(
      `who: ${flags.map((f) => `--${f}`).join(', ')} cannot be used with --roster; the roster says who the person is`,
    );
  }
  const registry = context.registry();
  const roster = await loadRoster(resolve(context.cwd, values.roster!), registry);
  const person = findPerson(roster, query);
  const instances = instancesFlag(values.instances);
  const draft = await draftPersonJobs(
    'remove',
    { email: person.email, identities: person.identities },
    instances ? { instances } : {},
    registry,
    batchId,
  );
  if (draft.problems.length > 0) throw new UsageError(`who: ${describeProblems(draft.problems)}`);
  return { jobs: draft.jobs, person: { name: person.name, email: person.email } };
}

const parseWho = (argv: readonly string[]) => parseCommandArgs(WHO, argv);

/**
 * Checks every identifier of the removals `jobs` (as offboard would run them) on its instance,
 * without changing anything: what `who` shows and offboard's last check.
 */
export async function checkAccess(
  context: CommandContext,
  jobs: readonly MembershipJob[],
): Promise<{ verification: OffboardVerification; skipped: MembershipJob[] }> {
  const registry = context.registry();
  // An e-mail a service hides (Trello) and orchester never recorded names nobody there.
  const usable = await withoutUnrecordedEmails(jobs, registry);
  for (const instance of new Set(usable.jobs.map((j) => j.instance))) {
    await registry.validatedConfig(instance);
  }
  const checks = accessChecks(usable.jobs);
  const dispatch = await openDispatch(context, { queue: false, audit: false });
  const report = await dispatch.run(checks[0]?.batchId ?? 'who', checks);
  return { verification: verifyOffboarding(report.jobs), skipped: usable.skipped };
}

/** 0 when no access is left anywhere, 1 when some is, 3 when a check could not tell. */
export function whoExitCode(verification: OffboardVerification): number {
  if (verification.instances.some((i) => i.access === 'remains')) return EXIT.notMember;
  return verification.verified ? EXIT.ok : EXIT.service;
}

/** `orchest who PERSON [--roster FILE | --email ... --github ...] [--json]`: where they have access. */
export async function runWho(context: CommandContext): Promise<number> {
  const { values, positionals } = parseWho(context.argv);
  const [query] = expectPositionals('who', positionals, ['PERSON']);
  const batchId = newBatchId(context.clock.now());
  const { jobs, person } = values.roster
    ? await rosterRemovals(context, query!, values, batchId)
    : await flagJobs(context, 'who', query!, values, batchId);
  const { verification, skipped } = await checkAccess(context, jobs);
  const code = whoExitCode(verification);
  if (values.json) {
    say(
      context.io,
      JSON.stringify({
        person,
        access: code === EXIT.ok ? 'none' : code === EXIT.notMember ? 'some' : 'unknown',
        instances: whoRows(verification).map((row, i) => ({
          ...row,
          checks: verification.instances[i]!.checks,
        })),
        ...(skipped.length > 0
          ? {
              notCheckedByEmail: skipped.map(({ instance, identifier }) => ({
                instance,
                identifier,
              })),
            }
          : {}),
      }),
    );
    return code;
  }
  for (const line of describeWho(verification, context.paint)) say(context.io, line);
  const who = person.name ?? person.email ?? query!;
  const where = (access: string) =>
    verification.instances.filter((i) => i.access === access).map((i) => i.instance);
  if (code === EXIT.notMember)
    say(context.io, `${who}: has access on ${where('remains').join(', ')}`);
  else if (code === EXIT.ok) say(context.io, `${who}: no access on any instance checked`);
  else say(context.io, `${who}: could not tell on ${where('unknown').join(', ')}`);
  return code;
}
