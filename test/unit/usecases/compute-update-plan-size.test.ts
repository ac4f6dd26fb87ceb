import { parseConfig } from '../../../shared/contracts/parse-config';
import type { PlannedUpdate } from '../../../shared/contracts/update-plan';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { jsonBytes } from '../../../shared/core/update-plan/within-bytes';
import { HighsMixSolver } from '../../../shared/solvers/highs-mix-solver';
import { computeUpdatePlan } from '../../../shared/usecases/compute-update-plan';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { upperBoundForecast } from '../../helpers/demand-forecast';
import { ONE_PRICE } from '../../helpers/one-price';

const T0 = Date.parse('2026-03-02T01:00:00Z');
const HOUR_MS = 3_600_000;
/** Step Functions' limit on a state's input or output (UTF-8 bytes). */
const STATE_MAX_BYTES = 256 * 1024;

/** Ten groups with the longest names Auto Scaling allows (255), each depending on the one before. */
const NAMES = Array.from({ length: 10 }, (_, i) => `${'g'.repeat(252)}-${i}${i}`);

function computeLargestPlan() {
  const config = parseConfig(
    userConfigSchema,
    {
      mode: 'forecast-and-scale',
      groups: { names: NAMES },
      dependencies: { edges: NAMES.slice(1).map((to, i) => ({ from: NAMES[i] as string, to })) },
      rollingUpdate: { planMaxConcurrentUpdates: 10 },
    },
    'test config',
  );
  const groups = NAMES.map((name, i) =>
    groupSnapshot({
      name,
      desiredCapacity: 4,
      inServiceCapacity: 4,
      maxSize: 8,
      launchTemplate: { id: `lt-${i}`, version: '6' },
    }),
  );
  // Above desired capacity half of the time: every such slot a group does not take is a warning.
  const load = (ms: number) => 180 + 120 * Math.sin(ms / HOUR_MS);
  const deps = {
    scalingTarget: new FakeScalingTarget(groups),
    metricHistory: { loadHistory: async () => new Map() },
    forecast: upperBoundForecast(load, () => T0),
    prices: ONE_PRICE,
    solver: new HighsMixSolver(),
    launchTemplates: {
      launchTemplate: async (id: string) => ({ launchTemplateId: id, versionNumber: 6 }),
    },
    clock: { nowMs: () => T0 },
  };
  const request = {
    groups: NAMES.map((groupName) => ({ groupName, launchTemplateVersion: '7' })),
    slotMinutes: 15,
    deadline: new Date(T0 + 13 * HOUR_MS).toISOString(),
  };
  return computeUpdatePlan(deps, config, { request, executionName: 'p'.repeat(80) }, { region: 'eu-west-1' });
}

describe('computeUpdatePlan at its largest', () => {
  it('keeps the plan within half of the 256 KiB execution state, saying what it left unlisted', async () => {
    const plan = (await computeLargestPlan()) as PlannedUpdate;
    expect(plan.outcome).toBe('planned');
    // The plan, the lock result and the request each travel in the state beside the step and results.
    expect(jsonBytes(plan)).toBeLessThanOrEqual(STATE_MAX_BYTES / 2);
    expect(plan.warnings.some((w) => /more rejected slot\(s\) not listed/.test(w))).toBe(true);
    expect(plan.rejected.length).toBeGreaterThan(0);
    expect(plan.slots.flatMap((s) => s.groups)).toHaveLength(NAMES.length);
  });
});
