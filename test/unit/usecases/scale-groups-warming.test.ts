import { GROUP_TAGS } from '../../../shared/contracts/env';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { FLAT_RUN_NOW as NOW, runFlatForecast as run } from '../../helpers/flat-forecast-run';

/** A launch that reached InService `secondsAgo`, of instance `instanceId`. */
const launched = (secondsAgo: number, instanceId: string) => ({
  startMs: NOW - (secondsAgo + 150) * 1000,
  endMs: NOW - secondsAgo * 1000,
  instanceId,
});

/** Newest first: three InService 1–2 minutes ago (warming, 180 s warmup), two 10 minutes ago (warm). */
const LAUNCHES = [
  launched(60, 'i-0a1'),
  launched(90, 'i-0a2'),
  launched(120, 'i-0a3'),
  launched(600, 'i-0a4'),
  launched(600, 'i-0a5'),
];

describe('scaleGroups while launches warm', () => {
  it('counts warming instances in the capacity units of a weighted mixed-instances group', async () => {
    // DesiredCapacity 24 units; the warming ones weigh 4, 4 and 2 units.
    const group = {
      name: 'web',
      minSize: 1,
      desiredCapacity: 24,
      inServiceCapacity: 24,
      hasScalingPolicies: true,
      defaultInstanceWarmupSeconds: 180,
      instanceWeights: { 'i-0a1': 4, 'i-0a2': 4, 'i-0a3': 2, 'i-0a4': 4, 'i-0a5': 4, 'i-0a6': 6 },
    };
    const weighted = await run({ forecastLoad: 120, actual: [240, 250, 240], group, launches: LAUNCHES });
    // 240 at 54 per unit needs 5 ready units, on top of 10 warming units.
    expect(weighted.result?.kind === 'ran' && weighted.result.outcome).toMatchObject({
      kind: 'applied',
      after: { desiredCapacity: 15 },
      reason: expect.stringContaining("kept 10 warming instances' worth of ready capacity"),
    });
    // The same launches in a group without weights count one unit each.
    const { instanceWeights: _, ...unweighted } = group;
    const plain = await run({
      forecastLoad: 120,
      actual: [240, 250, 240],
      group: unweighted,
      launches: LAUNCHES,
    });
    expect(plain.result?.kind === 'ran' && plain.result.outcome).toMatchObject({
      after: { desiredCapacity: 8 },
    });
  });

  it("takes the group's default cooldown as the warmup where no default instance warmup is set, as its policies do", async () => {
    const base = {
      name: 'web',
      minSize: 1,
      desiredCapacity: 24,
      inServiceCapacity: 24,
      hasScalingPolicies: true,
    };
    const outcome = async (group: Partial<GroupSnapshot> & { name: string }) => {
      const r = await run({ forecastLoad: 120, actual: [240, 250, 240], group, launches: LAUNCHES });
      return r.result?.kind === 'ran' ? r.result.outcome : undefined;
    };
    // Auto Scaling leaves DefaultInstanceWarmup unset by default; DefaultCooldown is 300 unless set.
    const byCooldown = await outcome({ ...base, defaultCooldownSeconds: 180 });
    expect(byCooldown).toEqual(await outcome({ ...base, defaultInstanceWarmupSeconds: 180 }));
    expect(byCooldown?.reason).toContain("kept 3 warming instances' worth of ready capacity");
  });

  describe('on a group without scaling policies', () => {
    const group = {
      name: 'web',
      minSize: 12,
      desiredCapacity: 12,
      inServiceCapacity: 12,
      hasScalingPolicies: false,
      defaultInstanceWarmupSeconds: 180,
    };
    const defaults = { scaleInPerTick: 10 };

    it("keeps the recent peak's need in ready instances on top of the warming ones when it scales in", async () => {
      const warming = await run({
        forecastLoad: 120,
        actual: [240, 250, 240],
        group,
        defaults,
        launches: LAUNCHES,
      });
      // The forecast needs 2; 240 at 54 per instance needs 5 ready, and 3 of the 12 are warming.
      expect(warming.result?.kind === 'ran' && warming.result.outcome).toMatchObject({
        kind: 'applied',
        after: { minSize: 8, desiredCapacity: 8 },
        reason: expect.stringContaining("scale-in kept 3 warming instances' worth of ready capacity"),
      });
      const warm = await run({
        forecastLoad: 120,
        actual: [240, 250, 240],
        group,
        defaults,
        launches: LAUNCHES.slice(3),
      });
      expect(warm.result?.kind === 'ran' && warm.result.outcome).toMatchObject({
        after: { minSize: 2, desiredCapacity: 2 },
      });
    });

    it('changes nothing in forecast-only mode, on a paused group or during an instance refresh', async () => {
      const runs = [
        run({ forecastLoad: 120, actual: [240], group, defaults, launches: LAUNCHES, mode: 'forecast-only' }),
        run({
          forecastLoad: 120,
          actual: [240],
          group: { ...group, tags: { [GROUP_TAGS.paused]: 'true' } },
          defaults,
          launches: LAUNCHES,
        }),
        run({
          forecastLoad: 120,
          actual: [240],
          group: { ...group, instanceRefreshInProgress: true },
          defaults,
          launches: LAUNCHES,
        }),
      ];
      for (const { result } of await Promise.all(runs)) {
        expect(result?.kind === 'ran' && result.outcome.kind).toBe('held');
      }
    });
  });
});
