import { parseConfig } from '../../shared/contracts/parse-config';
import {
  type ChildOutcome,
  computeUpdatePlanEventSchema,
  cutChildDetailEventSchema,
} from '../../shared/contracts/update-plan';
import { userConfigSchema } from '../../shared/contracts/user-config';
import { CHILD_CAUSE_MAX_CHARS, cutChildDetail } from '../../shared/core/update-plan/child-detail';
import { ROLLED_OUT_ERROR } from '../../shared/core/update-plan/types';
import { jsonBytes } from '../../shared/core/update-plan/within-bytes';
import type { CalendarCampaign, CampaignCalendar } from '../../shared/ports/campaign-calendar';
import type { StoredDependencyDiscovery } from '../../shared/ports/dependency-discovery';
import { advanceUpdatePlan } from '../../shared/usecases/advance-update-plan';
import { calendarReadForPlan } from '../../shared/usecases/calendar-read-for-plan';
import { campaignWindowsFor } from '../../shared/usecases/campaign-windows-for';
import { computeUpdatePlan } from '../../shared/usecases/compute-update-plan';
import { lockUpdatePlan } from '../../shared/usecases/lock-update-plan';
import { PLAN_CALENDAR_MAX_BYTES, readPlanCalendar } from '../../shared/usecases/read-plan-calendar';
import { discoveryReadForPlan, readPlanDiscovery } from '../../shared/usecases/read-plan-discovery';
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

/** The largest plan's configuration with X-Ray discovery on: the plan reads the stored discovery. */
const XRAY_LARGEST_PLAN_CONFIG = {
  ...LARGEST_PLAN_CONFIG,
  dependencies: {
    ...LARGEST_PLAN_CONFIG.dependencies,
    xray: { enabled: true, serviceToGroup: { s: LARGEST_PLAN_GROUPS[0] as string } },
  },
};

/**
 * One 2-hour campaign a day at 18:00, naming every group, with a learned ×1.8: each group's
 * calendar lists every one of them (a campaign naming several groups is on each one's calendar).
 */
function dailyDealOnEveryGroup(): CampaignCalendar {
  const DAY_MS = 86_400_000;
  return {
    campaignsFor: async (_groupName, fromMs, toMs) => {
      const campaigns: CalendarCampaign[] = [];
      for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS < toMs; day++) {
        const startMs = day * DAY_MS + 18 * 3_600_000;
        if (startMs + 2 * 3_600_000 <= fromMs || startMs >= toMs) continue;
        campaigns.push({
          campaignId: `deal-of-the-day-${new Date(startMs).toISOString().slice(0, 10)}`,
          kind: 'deal-of-the-day',
          version: 1,
          startMs,
          endMs: startMs + 2 * 3_600_000,
          rampUpSeconds: 600,
          extraInstances: 0,
          uplift: { kind: 'multiplier', factor: 1.8 },
          upliftSource: 'learned',
        });
      }
      return campaigns;
    },
  };
}
/**
 * The most discovered edges "Read discovered dependencies" may hand on: one for each ordered pair
 * of the plan's ten groups (90, ~50 KB), each group calling every later one and called back by
 * it too rarely to count (below `minRequestCount`, so the merge leaves those out, not the read),
 * beside a hundred edges between groups outside the plan, which the read leaves out.
 */
function largestPlanDiscoveryEdges() {
  const among = LARGEST_PLAN_GROUPS.flatMap((from, i) =>
    LARGEST_PLAN_GROUPS.flatMap((to, j) =>
      i === j ? [] : [{ from, to, requestCount: i < j ? 123_456 : 0 }],
    ),
  );
  const outside = Array.from({ length: 100 }, (_, i) => ({
    from: `${'d'.repeat(252)}-${String(i).padStart(2, '0')}`,
    to: `${'e'.repeat(252)}-${String(i).padStart(2, '0')}`,
    requestCount: 123_456,
  }));
  return [...among, ...outside];
}

/** The largest plan's configuration without its chain of dependencies: one slot may take all ten groups. */
const INDEPENDENT_LARGEST_PLAN_CONFIG = { ...LARGEST_PLAN_CONFIG, dependencies: { edges: [] } };

const T0 = Date.parse('2026-03-02T01:00:00Z');
/** The longest execution name Step Functions allows (80). */
const PLAN = `plan-${'x'.repeat(75)}`;

/**
 * The deployed definition for each configuration, synthesized once for the file (a synth is about
 * a second; no run changes the template).
 */
const definitions = new Map<object, Json>();
function updatePlanDefinition(configInput: object): Json {
  const known = definitions.get(configInput);
  if (known) return known;
  const definition = extractDefinition(buildTestApp(configInput).template(), 'PrescaleUpdatePlans');
  definitions.set(configInput, definition);
  return definition;
}

/**
 * The largest calendar from T0, built once for the file: the search for how many campaigns fit
 * reads it some fifty times (1.5 s), and the runs only read it.
 */
let largestCalendarFromT0: Promise<CampaignCalendar> | undefined;
function largestCalendar(): Promise<CampaignCalendar> {
  largestCalendarFromT0 ??= largestPlanCalendar(T0);
  return largestCalendarFromT0;
}

/**
 * How a child ends: succeeds; fails with a cause of this many characters (its Error `error`,
 * `RefreshFailed` unless given); or is held, deferred with a reason of this many characters.
 */
type ChildEnd = (
  name: string,
) => 'succeed' | { causeChars: number; error?: string } | { heldReasonChars: number };

/** The ARN of the child rolling update named `name`. */
const childArn = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:RollingUpdates:${name}`;

/**
 * The largest plan the configuration allows, with the largest campaign calendar its groups may
 * hand on, run through the deployed update-plan definition in
 * the simulated Step Functions (which fails any state over 256 KiB, as AWS does), each child
 * ending after a minute as `childEnd` says.
 */
async function runLargestPlan(
  childEnd: ChildEnd = () => 'succeed',
  options: {
    readonly calendar?: CampaignCalendar;
    readonly discovery?: StoredDependencyDiscovery;
    /** Without the chain of dependencies (not with `discovery`). */
    readonly independent?: boolean;
  } = {},
) {
  const configInput = options.discovery
    ? XRAY_LARGEST_PLAN_CONFIG
    : options.independent
      ? INDEPENDENT_LARGEST_PLAN_CONFIG
      : LARGEST_PLAN_CONFIG;
  const definition = updatePlanDefinition(configInput);
  const config = parseConfig(userConfigSchema, configInput, 'test config');
  let nowMs = T0;
  const clock = { nowMs: () => nowMs };
  const planStore = new MemoryUpdatePlanStore();
  const deps = {
    locks: new MemoryStateStore(),
    planLocks: planStore,
    plans: planStore,
    clock,
    discoveredDependencies: new MemoryDiscoveredDependencyStore(options.discovery),
  };
  const json = (v: unknown) => JSON.parse(JSON.stringify(v));
  const children: string[] = [];
  const published: Json[] = [];
  const child = async ({ Name }: { Name: string }) => {
    children.push(Name);
    nowMs += 60_000;
    const end = childEnd(Name);
    if (end !== 'succeed' && 'causeChars' in end) {
      // What startExecution.sync:2 raises for a child that ended Rolled back: its DescribeExecution.
      const cause = `Lambda.Unknown: ${'x'.repeat(end.causeChars)}`;
      throw namedError(
        'States.TaskFailed',
        JSON.stringify({
          executionArn: childArn(Name),
          status: 'FAILED',
          error: end.error ?? 'RefreshFailed',
          cause,
        }),
      );
    }
    if (end !== 'succeed') {
      const reason = `held: group is paused by its tag ${'x'.repeat(end.heldReasonChars)}`;
      return { ExecutionArn: childArn(Name), Output: { status: 'Deferred', reason } };
    }
    return { ExecutionArn: childArn(Name), Output: { status: 'Succeeded' } };
  };
  const cut = async (input: unknown) => cutChildDetail(cutChildDetailEventSchema.parse(input).report);
  const results: ChildOutcome[][] = [];
  const calendar = options.calendar ?? (await largestCalendar());
  const handlers: Record<string, (input: never) => Promise<unknown>> = {
    'Read campaign calendar': async (input: { request: unknown }) =>
      json(await readPlanCalendar({ calendar, clock }, config, input)),
    // As the read-plan-discovery handler: the discovery the loop stored, its edges among the plan's groups.
    'Read discovered dependencies': async (input: { request: unknown }) =>
      json(await readPlanDiscovery(deps, config, input)),
    'Compute plan': async (input: { request: unknown; executionName: string; discovery?: unknown }) => {
      const event = computeUpdatePlanEventSchema.parse(input);
      const campaignsFor = campaignWindowsFor(calendarReadForPlan(event.calendar));
      const discoveredDependencies = discoveryReadForPlan(event.discovery);
      const deps = { ...largestPlanDeps(clock.nowMs), campaignsFor, discoveredDependencies };
      return json(await computeUpdatePlan(deps, config, input, { region: 'eu-west-1' }));
    },
    'Lock plan groups': async (input: { plan: never }) =>
      json(await lockUpdatePlan(deps, config, input.plan)),
    'Record plan': async () => ({}),
    'Decide next plan step': async (input: { step?: { action: string; waitSeconds: number } }) => {
      if (input.step?.action === 'wait') nowMs += input.step.waitSeconds * 1000;
      const reported = (input as { step?: { results?: ChildOutcome[] } }).step?.results;
      if (reported) results.push(reported);
      return json(await advanceUpdatePlan(deps, input as never));
    },
    'Update group': child,
    'Revert group': child,
    'Cut group report': cut,
    'Cut revert report': cut,
    'Release plan locks': async (input: { plan: never }) => json(await releaseUpdatePlan(deps, input.plan)),
    'Notify operators': async (message: Json) => {
      published.push(message);
      return { MessageId: 'm-1' };
    },
  };
  // What each task was handed (the Parameters Step Functions rendered), which it limits as a state.
  let largestTaskInputBytes = 0;
  const measured = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      (input: never) => {
        largestTaskInputBytes = Math.max(largestTaskInputBytes, jsonBytes(input));
        return handler(input);
      },
    ]),
  );
  const execution = startUpdatePlan(definition, largestPlanRequest(T0), measured as typeof handlers, {
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
  return {
    outcome,
    largestStateBytes,
    largestTaskInputBytes,
    children,
    results,
    published,
    locksLeft: planStore.locks.size,
  };
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
    expect(cause).toContain('characters in all; the full text is in the history of arn:aws:states:');
    expect(run.children.filter((c) => c.includes('-undo-s1-'))).toHaveLength(1);
    expect(run.children.length).toBeGreaterThanOrEqual(9);
    expect(run.published).toHaveLength(1);
    expect(run.locksLeft).toBe(0);
    expect(run.largestStateBytes).toBeLessThanOrEqual(STATE_DATA_MAX_BYTES);
  }, 60_000);

  it('undoes a slot of ten children failing with 32 KB causes and held with a 100 KB reason, each detail cut with its execution', async () => {
    const started: string[] = [];
    const run = await runLargestPlan(
      (name) => {
        started.push(name);
        if (name.includes('-undo-')) return { causeChars: 32_000 };
        if (started.length === 1) return { causeChars: 32_000, error: ROLLED_OUT_ERROR };
        return started.length === 2 ? { heldReasonChars: 100_000 } : { causeChars: 32_000 };
      },
      { independent: true },
    );
    expect(run.largestStateBytes).toBeLessThanOrEqual(STATE_DATA_MAX_BYTES);
    expect(run.outcome).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    // The rolled-out child's cut report still says so: the plan reverts its group.
    const groupSuffix = started[0]?.split('-').at(-1);
    expect(run.children.filter((c) => c.includes('-undo-s1-'))).toEqual([
      expect.stringMatching(new RegExp(`-${groupSuffix}$`)),
    ]);
    const [slot, undo] = run.results;
    expect(slot).toHaveLength(LARGEST_PLAN_GROUPS.length);
    expect(undo).toHaveLength(1);
    expect(slot?.map((r) => r.status).sort()).toEqual([
      'Deferred',
      ...Array.from({ length: (slot?.length ?? 0) - 1 }, () => 'Failed'),
    ]);
    for (const r of [...(slot ?? []), ...(undo ?? [])]) {
      expect(Array.from(r.detail ?? '').length).toBeLessThanOrEqual(CHILD_CAUSE_MAX_CHARS);
      expect(r.detail).toContain(`the full text is in the history of ${childArn(r.childName)}]`);
    }
    expect(slot?.find((r) => r.status === 'Deferred')?.detail).toMatch(/^held: group is paused/);
    expect(run.published).toHaveLength(1);
    expect(run.locksLeft).toBe(0);
  }, 60_000);

  it('plans with a daily campaign every group shares and the most discovered edges its groups may have, each state and task input within 256 KiB', async () => {
    const edges = largestPlanDiscoveryEdges();
    const run = await runLargestPlan(() => 'succeed', {
      calendar: dailyDealOnEveryGroup(),
      discovery: { discoveredAtMs: T0 - 3_600_000, edges },
    });
    expect(run.outcome).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(run.largestStateBytes).toBeLessThanOrEqual(STATE_DATA_MAX_BYTES);
    expect(run.largestTaskInputBytes).toBeLessThanOrEqual(STATE_DATA_MAX_BYTES);
  }, 60_000);

  it("hands on only the discovered edges among the plan's groups: 1,500 edges of a whole account beside the largest calendar stay within 256 KiB", async () => {
    // 300 groups of 40-character names, each calling five others: ~120 KB of edges in all.
    const name = (i: number) => `svc-${String(i).padStart(3, '0')}-${'n'.repeat(32)}`;
    const edges = Array.from({ length: 1_500 }, (_, i) => ({
      from: name(i % 300),
      to: name((i % 300) + 1 + Math.floor(i / 300)),
      requestCount: 1_000 + i,
    }));
    const run = await runLargestPlan(() => 'succeed', {
      discovery: { discoveredAtMs: T0 - 3_600_000, edges },
    });
    expect(run.outcome).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(run.largestStateBytes).toBeLessThanOrEqual(STATE_DATA_MAX_BYTES);
    expect(run.largestTaskInputBytes).toBeLessThanOrEqual(STATE_DATA_MAX_BYTES);
  }, 60_000);

  it('keeps the largest calendar, the largest discovery and the request within 256 KiB before the plan', async () => {
    const edges = largestPlanDiscoveryEdges();
    const run = await runLargestPlan(() => 'succeed', {
      discovery: { discoveredAtMs: T0 - 3_600_000, edges },
    });
    expect(run.outcome).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    // "Compute plan" is handed a calendar near its limit and the discovery beside it.
    expect(run.largestTaskInputBytes).toBeGreaterThan(PLAN_CALENDAR_MAX_BYTES + 50_000);
    expect(run.largestStateBytes).toBeLessThanOrEqual(STATE_DATA_MAX_BYTES);
    expect(run.largestTaskInputBytes).toBeLessThanOrEqual(STATE_DATA_MAX_BYTES);
  }, 60_000);
});
