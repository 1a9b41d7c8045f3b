import type { MembershipJob } from '../job.js';
import type { ConnectorRegistry } from '../registry.js';

/**
 * An offboarding's removals without those by an e-mail that cannot be carried out: on a service
 * that hides e-mail addresses (`capabilities.hidesEmails`), an e-mail orchester never recorded
 * names nobody it can find, and where the person has another identifier on that instance, that
 * one removes the account. Left alone, such a removal would fail the whole offboarding.
 */
export async function withoutUnrecordedEmails(
  jobs: readonly MembershipJob[],
  registry: ConnectorRegistry,
): Promise<{ jobs: MembershipJob[]; skipped: MembershipJob[] }> {
  const kept: MembershipJob[] = [];
  const skipped: MembershipJob[] = [];
  for (const job of jobs) {
    const isEmail = job.action === 'remove' && job.identifier.includes('@');
    const another = jobs.some(
      (j) => j !== job && j.instance === job.instance && j.action === 'remove',
    );
    if (isEmail && another && (await registry.connectorOf(job.instance)).capabilities.hidesEmails) {
      const recorded = await registry.identitiesOf(job.instance)?.get(job.identifier);
      if (recorded === undefined) {
        skipped.push(job);
        continue;
      }
    }
    kept.push(job);
  }
  return { jobs: kept, skipped };
}
