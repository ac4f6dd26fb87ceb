import fc from 'fast-check';
import {
  planUpdateScenarios,
  UpdateScenarioInputError,
  type UpdateScenarioRequest,
} from '../../../../shared/core/dependencies/plan-update-scenarios';
import { readUpdatePlan, type UpdatePlan } from '../../../../shared/core/dependencies/read-update-plan';
import type { UpdateCandidateGroup } from '../../../../shared/core/dependencies/slot-requirement';
import { HighsMixSolver } from '../../../../shared/solvers/highs-mix-solver';
import { bruteForceUpdateObjective, healthyDuringRefresh, mustBeApart } from './brute-force-update-plan';

const solver = new HighsMixSolver();

const group = (name: string, overrides: Partial<UpdateCandidateGroup>): UpdateCandidateGroup => ({
  groupName: name,
  desiredCapacity: 10,
  maxSize: 12,
  minHealthyPercentage: 90,
  targetLoadPerInstance: 10,
  hourlyPriceUsd: 0.1,
  p90LoadBySlot: [0, 0, 0],
  ...overrides,
});

const slots = { firstSlotStartMs: 1_000_000, slotSeconds: 3600, slotCount: 3 };

async function solve(request: UpdateScenarioRequest): Promise<UpdatePlan> {
  const built = planUpdateScenarios(request);
  if (built.kind === 'infeasible') return built;
  return readUpdatePlan(built.model, await solver.solve(built.model.lp));
}

describe('planUpdateScenarios', () => {
  // web: p90 [95, 80, 60] needs [10, 8, 6] healthy; 90 % of 10 keeps 9, so slot 0 takes 2 headroom.
  // api: p90 [100, 60, 100] needs 10 in slots 0 and 2; MaxSize 11 allows 1 headroom → 9 healthy.
  const web = group('web', { p90LoadBySlot: [95, 80, 60] });
  const api = group('api', { maxSize: 11, hourlyPriceUsd: 0.2, p90LoadBySlot: [100, 60, 100] });
  const request: UpdateScenarioRequest = {
    ...slots,
    groups: [web, api],
    edges: [{ from: 'web', to: 'api' }],
  };

  it('writes the slot, headroom, SLO and dependency constraints as LP text', () => {
    const built = planUpdateScenarios(request);
    expect(built.kind).toBe('model');
    if (built.kind !== 'model') return;
    const { lp, cells } = built.model;
    expect(cells.map((c) => c.assignVariable)).toEqual(['x_0_0', 'x_0_1', 'x_0_2', 'x_1_1']);
    expect(lp).toContain(' once_0: 1 x_0_0\n  + 1 x_0_1\n  + 1 x_0_2\n  = 1');
    expect(lp).toContain(' once_1: 1 x_1_1\n  = 1');
    // 90·h ≥ (100·10 − 90·10)·x
    expect(lp).toContain(' slo_0_0: 90 h_0_0 - 100 x_0_0 >= 0');
    expect(lp).toContain(' hold_0_0: h_0_0 - 2 x_0_0 <= 0');
    expect(lp).toContain(' sep_0_1_1: x_0_1 + x_1_1 <= 1');
    expect(lp).toContain(' 0 <= h_1_1 <= 1');
    expect(lp).toContain(' cost: 0.1 h_0_0\n');
    expect(built.model.latenessPenaltyUsdPerSlot).toBeCloseTo(0.0001, 12);
  });

  it('keeps dependent groups apart and explains every rejected slot', async () => {
    const plan = await solve(request);
    expect(plan.kind).toBe('planned');
    if (plan.kind !== 'planned') return;
    expect(plan.updates.map((u) => [u.groupName, u.slotIndex, u.headroomInstances])).toEqual([
      ['api', 1, 0],
      ['web', 2, 0],
    ]);
    expect(plan.slots.map((s) => s.groupNames)).toEqual([[], ['api'], ['web']]);
    expect(plan.headroomCostUsd).toBe(0);
    expect(plan.objectiveUsd).toBeCloseTo(0.0003, 12);
    expect(plan.provedOptimal).toBe(true);
    const messages = Object.fromEntries(
      plan.rejected.map((r) => [`${r.groupName}@${r.slotIndex}`, r.reasons.map((x) => x.message)]),
    );
    expect(messages).toEqual({
      'web@0': [
        'slot 1 (1970-01-01 00:16 UTC): 2 headroom instance(s) and lateness cost 0.2 USD vs 0.0002 USD in slot 3 (1970-01-01 02:16 UTC) with 0 headroom',
      ],
      'web@1': ['slot 2 (1970-01-01 01:16 UTC): api updates at the same time (dependency web → api)'],
      'api@0': [
        'slot 1 (1970-01-01 00:16 UTC): predicted p90 100 needs 10 healthy instance(s) (10 load each) > 9 healthy at most (90% of desired 10 + max headroom 1 under MaxSize 11)',
      ],
      'api@2': [
        'slot 3 (1970-01-01 02:16 UTC): predicted p90 100 needs 10 healthy instance(s) (10 load each) > 9 healthy at most (90% of desired 10 + max headroom 1 under MaxSize 11)',
      ],
    });
    expect(plan.rejected.find((r) => r.groupName === 'web' && r.slotIndex === 0)?.earlier).toBe(true);
    expect(plan.warnings).toEqual([]);
  });

  it('pays for headroom when the only safe slot needs it', async () => {
    const plan = await solve({ ...request, groups: [group('web', { p90LoadBySlot: [95, 80, 200] }), api] });
    expect(plan.kind).toBe('planned');
    if (plan.kind !== 'planned') return;
    const webUpdate = plan.updates.find((u) => u.groupName === 'web');
    expect(webUpdate).toMatchObject({
      slotIndex: 0,
      slotStartMs: 1_000_000,
      slotEndMs: 4_600_000,
      headroomInstances: 2,
      desiredCapacityDuringUpdate: 12,
      healthyInstances: 10,
      requiredHealthyInstances: 10,
      p90Load: 95,
    });
    expect(webUpdate?.headroomCostUsd).toBeCloseTo(0.2, 12);
    expect(plan.headroomCostUsd).toBeCloseTo(0.2, 12);
    expect(plan.warnings).toEqual([
      'web: slot 3 (1970-01-01 02:16 UTC): predicted p90 200 needs 20 instance(s), above desired 10 even without an update',
    ]);
  });

  it('returns a group without any safe slot as infeasible, without a model', () => {
    const built = planUpdateScenarios({
      ...slots,
      groups: [group('db', { minHealthyPercentage: 0, p90LoadBySlot: [5, 5, 5] })],
      edges: [],
    });
    expect(built.kind).toBe('infeasible');
    expect(built.kind === 'infeasible' && built.reasons[0]).toMatch(
      /^db: no slot keeps enough healthy capacity: slot 1 \(1970-01-01 00:16 UTC\): /,
    );
  });

  it('returns too few slots for the concurrency limit as infeasible', () => {
    const built = planUpdateScenarios({
      ...slots,
      slotCount: 1,
      groups: [group('a', { p90LoadBySlot: [0] }), group('b', { p90LoadBySlot: [0] })],
      edges: [],
      maxConcurrentUpdates: 1,
    });
    expect(built).toEqual({
      kind: 'infeasible',
      reasons: ['2 groups cannot update in 1 slot(s) with at most 1 at once; expected at least 2 slots'],
    });
  });

  it('explains a chain that cannot be spread over two slots when separation is transitive', async () => {
    const chain: UpdateScenarioRequest = {
      ...slots,
      slotCount: 2,
      groups: ['a', 'b', 'c'].map((n) => group(n, { p90LoadBySlot: [0, 0] })),
      edges: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
      ],
      separation: 'transitive',
    };
    const plan = await solve(chain);
    expect(plan).toEqual({
      kind: 'infeasible',
      reasons: [
        'no plan puts every group in a slot where its p90 peak fits while keeping dependent groups apart',
        'a can update only in slot(s) 1, 2 of 2',
        'b can update only in slot(s) 1, 2 of 2',
        'c can update only in slot(s) 1, 2 of 2',
        'dependencies keeping groups apart: a → b, a → b → c, b → c',
      ],
    });
    const direct = await solve({ ...chain, separation: 'direct' });
    expect(direct.kind === 'planned' && direct.slots.map((s) => s.groupNames)).toEqual([['a', 'c'], ['b']]);
  });

  it('respects the concurrency limit', async () => {
    const plan = await solve({
      ...slots,
      groups: ['a', 'b', 'c'].map((n) => group(n, {})),
      edges: [],
      maxConcurrentUpdates: 2,
    });
    expect(plan.kind).toBe('planned');
    if (plan.kind !== 'planned') return;
    // Equal groups: which one waits is a tie; that two go first and one waits is not.
    expect(plan.slots.map((s) => s.groupNames.length)).toEqual([2, 1, 0]);
    const waiting = plan.slots[1]?.groupNames[0];
    expect(plan.rejected.find((r) => r.groupName === waiting && r.slotIndex === 0)?.reasons).toEqual([
      {
        kind: 'concurrency',
        message: 'slot 1 (1970-01-01 00:16 UTC): 2 group(s) already update then (maxConcurrentUpdates 2)',
      },
    ]);
  });

  it('rejects a malformed request with every problem listed', () => {
    expect(() =>
      planUpdateScenarios({
        ...slots,
        groups: [
          group('a', { p90LoadBySlot: [1] }),
          group('a', { desiredCapacity: -1, hourlyPriceUsd: Number.NaN }),
        ],
        edges: [],
      }),
    ).toThrow(
      new UpdateScenarioInputError([
        'a: p90LoadBySlot has 1 value(s); expected one per slot (3)',
        'a: listed twice; expected each group once',
        'a: desiredCapacity must be a whole number ≥ 0, got -1',
        'a: hourlyPriceUsd must be a finite number ≥ 0, got NaN',
      ]),
    );
  });

  it('finds a safe plan exactly as cheap as exhaustive search on small instances', async () => {
    const instance = fc
      .record({
        groupCount: fc.integer({ min: 2, max: 4 }),
        slotCount: fc.integer({ min: 3, max: 4 }),
        edgeBits: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        separation: fc.constantFrom('direct' as const, 'transitive' as const),
        maxConcurrentUpdates: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        latenessPenaltyUsdPerSlot: fc.constantFrom(0, 0.001, 0.05),
        groups: fc.array(
          fc.record({
            desiredCapacity: fc.integer({ min: 1, max: 10 }),
            extraMax: fc.integer({ min: 0, max: 4 }),
            minHealthyPercentage: fc.constantFrom(50, 75, 90, 100),
            hourlyPriceUsd: fc.integer({ min: 1, max: 50 }).map((c) => c / 100),
            p90LoadBySlot: fc.array(fc.integer({ min: 0, max: 90 }), { minLength: 4, maxLength: 4 }),
          }),
          { minLength: 4, maxLength: 4 },
        ),
      })
      .map((r): UpdateScenarioRequest => {
        const groups = r.groups.slice(0, r.groupCount).map((g, i) => ({
          groupName: `g${i}`,
          desiredCapacity: g.desiredCapacity,
          maxSize: g.desiredCapacity + g.extraMax,
          minHealthyPercentage: g.minHealthyPercentage,
          targetLoadPerInstance: 10,
          hourlyPriceUsd: g.hourlyPriceUsd,
          p90LoadBySlot: g.p90LoadBySlot.slice(0, r.slotCount),
        }));
        const pairs = [
          [0, 1],
          [0, 2],
          [0, 3],
          [1, 2],
          [1, 3],
          [2, 3],
        ];
        const edges = pairs
          .filter(
            ([a, b], k) => r.edgeBits[k] && (b as number) < r.groupCount && (a as number) < r.groupCount,
          )
          .map(([a, b]) => ({ from: `g${a}`, to: `g${b}` }));
        return {
          firstSlotStartMs: 0,
          slotSeconds: 1800,
          slotCount: r.slotCount,
          groups,
          edges,
          separation: r.separation,
          ...(r.maxConcurrentUpdates !== undefined ? { maxConcurrentUpdates: r.maxConcurrentUpdates } : {}),
          latenessPenaltyUsdPerSlot: r.latenessPenaltyUsdPerSlot,
        };
      });
    await fc.assert(
      fc.asyncProperty(instance, async (req) => {
        const expected = bruteForceUpdateObjective(req, req.latenessPenaltyUsdPerSlot as number);
        const plan = await solve(req);
        if (!Number.isFinite(expected)) {
          expect(plan.kind).toBe('infeasible');
          return;
        }
        expect(plan.kind).toBe('planned');
        if (plan.kind !== 'planned') return;
        expect(plan.objectiveUsd).toBeCloseTo(expected, 9);
        const apart = mustBeApart(req);
        for (const u of plan.updates) {
          const g = req.groups.find((x) => x.groupName === u.groupName) as UpdateCandidateGroup;
          expect(u.desiredCapacityDuringUpdate).toBeLessThanOrEqual(g.maxSize);
          expect(
            healthyDuringRefresh(u.desiredCapacityDuringUpdate, g.minHealthyPercentage) * 10,
          ).toBeGreaterThanOrEqual(g.p90LoadBySlot[u.slotIndex] as number);
          for (const v of plan.updates) {
            if (v !== u && v.slotIndex === u.slotIndex) expect(apart(u.groupName, v.groupName)).toBe(false);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
