import type { JobReport } from '../report.js';
import type { PersonLookup } from '../roster/jobs.js';
import type { AuditLog } from './audit-log.js';
import { auditRecordOf } from './record.js';

export interface JobAuditOptions {
  readonly log: AuditLog;
  readonly actor: string;
  readonly personOf?: PersonLookup;
  /** Told when a record could not be written; the run goes on. */
  onWriteError?(error: unknown): void;
}

/** An `onJobDone` that appends every add/remove job's end to the audit log. */
export function auditJobEnds(options: JobAuditOptions): (report: JobReport) => void {
  return (report) => {
    const person = options.personOf?.(report);
    const record = auditRecordOf(report, {
      actor: options.actor,
      ...(person?.name ? { person: person.name } : {}),
      ...(person?.email ? { email: person.email } : {}),
    });
    if (!record) return;
    try {
      options.log.append(record);
    } catch (error) {
      options.onWriteError?.(error);
    }
  };
}
