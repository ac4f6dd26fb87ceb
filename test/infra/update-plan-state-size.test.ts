import { parseConfig } from '../../shared/contracts/parse-config';
import { computeUpdatePlanEventSchema } from '../../shared/contracts/update-plan';
import { userConfigSchema } from '../../shared/contracts/user-config';
import { jsonBytes } from '../../shared/core/update-plan/within-bytes';
import { advanceUpdatePlan } from '../../shared/usecases/advance-update-plan';
import { calendarReadForPlan } from '../../shared/usecases/calendar-read-for-plan';
import { campaignWindowsFor } from '../../shared/usecases/campaign-windows-for';
import { computeUpdatePlan } from '../../shared/usecases/compute-update-plan';
import { lockUpdatePlan } from '../../shared/usecases/lock-update-plan';
import { readPlanCalendar } from '../../shared/usecases/read-plan-calendar';
import { releaseUpdatePlan } from '../../shared/usecases/release-update-plan';
import { MemoryDiscoveredDependencyStore } from '../fakes/memory-discovered-dependency-store';
import { MemoryStateStore } from '../fakes/memory-state-store';
import { MemoryUpdatePlanStore } from '../fakes/memory-update-plan-store';
import { buildTestApp } from '../helpers/build-test-app';
import {
  LARGEST_PLAN_CONFIG,
  LARGEST_PLAN_GROUPS,
  largestPlanCalendar,
  largestPlanDeps,
  largestPlanRequest,
} from '../helpers/largest-update-plan';
import { STATE_DATA_MAX_BYTES } from '../helpers/local-state-machine';
import { extractDefinition, namedError } from './rolling-update-harness';
import { startUpdatePlan } from './update-plan-harness';

type Json = Record<string, unknown>;
const T0 = Date.parse('2026-03-02T01:00:00Z');
/** The longest execution name Step Functions allows (80). */
const PLAN = `plan-${'x'.repeat(75)}`;

/** How a child ends: succeeds, or fails with a cause of this many characters. */
type ChildEnd = (name: string) => 'succeed' | { causeChars: number };

/**
 * The largest plan the configuration allows, with the largest campaign calendar its groups may
 * hand on, run through the deployed update-plan definition in
 * the simulated Step Functions (which fails any state over 256 KiB, as AWS does), each child
 * ending after a minute as `childEnd` says.
 */
async function runLargestPlan(childEnd: ChildEnd = () => 'succeed') {
  const { template } = buildTestApp(LARGEST_PLAN_CONFIG);
  const definition = extractDefinition(template(), 'PrescaleUpdatePlans');
  const config = parseConfig(userConfigSchema, LARGEST_PLAN_CONFIG, 'test config');
  let nowMs = T0;
  const clock = { nowMs: () => nowMs };
  const planStore = new MemoryUpdatePlanStore();
  const deps = {
    locks: new MemoryStateStore(),
    planLocks: planStore,
    plans: planStore,
    clock,
    discoveredDependencies: new MemoryDiscoveredDependencyStore(),
  };
  const json = (v: unknown) => JSON.parse(JSON.stringify(v));
  const children: string[] = [];
  const published: Json[] = [];
  const child = async ({ Name }: { Name: string }) => {
    children.push(Name);
    nowMs += 60_000;
    const end = childEnd(Name);
    if (end !== 'succeed') {
      // What startExecution.sync:2 raises for a child that ended Rolled back: its DescribeExecution.
      const cause = `Lambda.Unknown: ${'x'.repeat(end.causeChars)}`;
      throw namedError(
        'States.TaskFailed',
        JSON.stringify({ status: 'FAILED', error: 'RefreshFailed', cause }),
      );
    }
    return {
      ExecutionArn: `arn:aws:states:eu-west-1:123456789012:execution:RollingUpdates:${Name}`,
      Output: { status: 'Succeeded' },
    };
  };
  const calendar = await largestPlanCalendar(T0);
  const handlers = {
    'Read campaign calendar': async (input: { request: unknown }) =>
      json(await readPlanCalendar({ calendar, clock }, config, input)),
    'Compute plan': async (input: { request: unknown; executionName: string }) => {
      const campaignsFor = campaignWindowsFor(
        calendarReadForPlan(computeUpdatePlanEventSchema.parse(input).calendar),
      );
      const deps = { ...largestPlanDeps(clock.nowMs), campaignsFor };
      return json(await computeUpdatePlan(deps, config, input, { region: 'eu-west-1' }));
    },
    'Lock plan groups': async (input: { plan: never }) =>
      json(await lockUpdatePlan(deps, config, input.plan)),
    'Record plan': async () => ({}),
    'Decide next plan step': async (input: { step?: { action: string; waitSeconds: number } }) => {
      if (input.step?.action === 'wait') nowMs += input.step.waitSeconds * 1000;
      return json(await advanceUpdatePlan(deps, input as never));
    },
    'Update group': child,
    'Revert group': child,
    'Release plan locks': async (input: { plan: never }) => json(await releaseUpdatePlan(deps, input.plan)),
    'Notify operators': async (message: Json) => {
      published.push(message);
      return { MessageId: 'm-1' };
    },
  };
  const execution = startUpdatePlan(definition, largestPlanRequest(T0), handlers, {
    name: PLAN,
    arn: `arn:aws:states:eu-west-1:123456789012:execution:UpdatePlans:${PLAN}`,
    startTime: new Date(T0).toISOString(),
  });
  let largestStateBytes = 0;
  const watching = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateExited')
        largestStateBytes = Math.max(largestStateBytes, jsonBytes(event.state.output ?? null));
    }
  })();
  const outcome = await execution.result.then(
    (output) => ({ ok: true, output: output as Json }),
    (error: { cause?: Error }) => ({ ok: false, error: error.cause?.name, cause: error.cause?.message }),
  );
  await watching;
  return { outcome, largestStateBytes, children, published, locksLeft: planStore.locks.size };
}

describe('UpdatePlanWorkflow at its largest', () => {
  it('completes the largest plan with every state well within 256 KiB', async () => {
    const { outcome, largestStateBytes } = await runLargestPlan();
    expect(outcome).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    const output = (outcome as unknown as { output: { slots: { groups: unknown[] }[] } }).output;
    expect(output.slots.flatMap((s) => s.groups)).toHaveLength(LARGEST_PLAN_GROUPS.length);
    // A margin for what this run does not reach: a longer log, failed children's causes.
    expect(largestStateBytes).toBeLessThanOrEqual(STATE_DATA_MAX_BYTES * 0.75);
  }, 60_000);

  it('undoes a slot whose children fail with 8 KB causes, within 256 KiB, and notifies', async () => {
    let first = '';
    const run = await runLargestPlan((name) => {
      first ||= name;
      return name === first ? 'succeed' : { causeChars: 8_000 };
    });
    expect(run.outcome).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    const cause = (run.outcome as { cause: string }).cause;
    expect(cause).toContain('characters in all; the full text is in the history of execution');
    expect(run.children.filter((c) => c.includes('-undo-s1-'))).toHaveLength(1);
    expect(run.children.length).toBeGreaterThanOrEqual(9);
    expect(run.published).toHaveLength(1);
    expect(run.locksLeft).toBe(0);
    expect(run.largestStateBytes).toBeLessThanOrEqual(STATE_DATA_MAX_BYTES);
  }, 60_000);
});
