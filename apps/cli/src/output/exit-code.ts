import { categoryOfErrorCode } from '@orchester/core';
import type { JobReport } from '@orchester/runtime';
import { EXIT, exitCodeOf } from '../exit-codes.js';

/** 0 done (check: member), 1 check: not a member, 2 input/config, 3 the service failed. */
export function exitCodeOfReport(row: JobReport): number {
  if (row.status === 'failed')
    return exitCodeOf(categoryOfErrorCode(row.error?.code ?? 'ORCH_INTERNAL'));
  if (row.action === 'check') return row.state === 'member' ? EXIT.ok : EXIT.notMember;
  return EXIT.ok;
}
