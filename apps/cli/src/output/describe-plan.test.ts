import type { InstancePlan, Plan } from '@orchester/core';
import { describe, expect, it } from 'vitest';
import { describePlan } from './describe-plan.js';

function planOf(prune: boolean): Plan {
  const instance = {
    instance: 'gdrive-eng',
    type: 'gdrive',
    prune,
    snapshot: 'list',
    current: { members: 3, invited: 0, deactivated: 0 },
    changes: [],
    kept: [],
    unmanaged: 1,
    summary: { 'in-place': 2, pending: 0 },
  } as unknown as InstancePlan;
  return {
    instances: [instance],
    violations: [],
    summary: { changes: 0 },
  } as unknown as Plan;
}

describe('describePlan', () => {
  it('says why members outside the roster stay: prune off, or a member the service keeps', () => {
    expect(describePlan(planOf(false))[2]).toBe(
      '  (2 already right; 1 member or invitation not in the roster left alone (prune is off))',
    );
    expect(describePlan(planOf(true))[2]).toBe(
      '  (2 already right; 1 member or invitation not in the roster left alone (the service never lets them go, e.g. an owner))',
    );
  });
});
