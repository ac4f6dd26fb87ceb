import { parseConfig } from '../../../shared/contracts/parse-config';
import type { PlannedUpdate } from '../../../shared/contracts/update-plan';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { jsonBytes } from '../../../shared/core/update-plan/within-bytes';
import { computeUpdatePlan } from '../../../shared/usecases/compute-update-plan';
import {
  LARGEST_PLAN_CONFIG,
  LARGEST_PLAN_GROUPS,
  largestPlanDeps,
  largestPlanRequest,
} from '../../helpers/largest-update-plan';

const T0 = Date.parse('2026-03-02T01:00:00Z');
/** Step Functions' limit on a state's input or output (UTF-8 bytes). */
const STATE_MAX_BYTES = 256 * 1024;

describe('computeUpdatePlan at its largest', () => {
  it('keeps the plan within half of the 256 KiB execution state, saying what it left unlisted', async () => {
    const config = parseConfig(userConfigSchema, LARGEST_PLAN_CONFIG, 'test config');
    const plan = (await computeUpdatePlan(
      largestPlanDeps(() => T0),
      config,
      { request: largestPlanRequest(T0), executionName: 'p'.repeat(80) },
      { region: 'eu-west-1' },
    )) as PlannedUpdate;
    expect(plan.outcome).toBe('planned');
    // The plan, the lock result and the request each travel in the state beside the step and results.
    expect(jsonBytes(plan)).toBeLessThanOrEqual(STATE_MAX_BYTES / 2);
    expect(plan.warnings.some((w) => /more rejected slot\(s\) not listed/.test(w))).toBe(true);
    expect(plan.rejected.length).toBeGreaterThan(0);
    expect(plan.slots.flatMap((s) => s.groups)).toHaveLength(LARGEST_PLAN_GROUPS.length);
  }, 30_000);
});
