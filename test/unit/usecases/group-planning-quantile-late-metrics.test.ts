import { overrideAwsTransport } from '../../../shared/aws/aws-transport';
import { CloudWatchMetricHistory } from '../../../shared/aws/cloud-watch-metric-history';
import { createAwsClients } from '../../../shared/aws/create-aws-clients';
import { groupSettingsSchema } from '../../../shared/contracts/group-settings-schema';
import type { GroupState, PlannedStep } from '../../../shared/ports/state-store';
import { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';
import { scorePastPlans } from '../../../shared/usecases/group-planning-quantile';
import { historyQuery } from '../../../shared/usecases/history-query';
import { stepsLeftToScore } from '../../../shared/usecases/past-plan-steps';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { webGroupSpec } from '../../helpers/web-group-spec';

const START = Date.UTC(2024, 0, 8);
const MINUTE = 60_000;
const STEP = 5 * MINUTE;
const DAY = 86_400_000;

afterEach(() => overrideAwsTransport(undefined));

describe('scorePastPlans on CloudWatch data that arrives late', () => {
  it('scores a step against the load that came in all of it, not the part CloudWatch had when it ended', async () => {
    // Four instances at 100 % of one instance's load each minute, rising to 400 in the step's last
    // two minutes: the step's cpu load is 220. Its metrics come 3 minutes late.
    const world = new SimulatedWorld({ startMs: START, seed: 1, metricDelay: { minutes: 3 } });
    world.createGroup(webGroupSpec({ desiredCapacity: 4, minSize: 4, maxSize: 4 }));
    world.seedHistory('web', START - 3 * DAY, START, () => 100, 60);
    overrideAwsTransport({ answer: world.answer });
    const metrics = new CloudWatchMetricHistory(createAwsClients({ region: 'us-east-1' }).cloudWatch);
    const settings = groupSettingsSchema.parse({ stepSeconds: 300, historyDays: 3 });
    const step: PlannedStep = {
      startMs: START,
      endMs: START + STEP,
      plannedLoad: 150,
      medianLoad: 120,
      plannedCapacity: 4,
    };
    let previous: GroupState = { planningQuantile: 0.9, updatedAtMs: START, unscoredSteps: [step] };
    const scoredLoads: number[] = [];
    for (let t = START; t < START + 3 * STEP; t += MINUTE) {
      world.advanceTo(t);
      if (t > START && t % STEP === 0) {
        // A run a few seconds after its tick, as the scheduled loop runs.
        const nowMs = t + 20_000;
        const history = (await metrics.loadHistory([historyQuery('web', settings, nowMs)])).get('web') ?? [];
        const scored = await scorePastPlans(
          new MemoryStateStore(),
          settings,
          groupSnapshot({ name: 'web', inServiceCapacity: 4 }),
          history,
          previous,
          { nowMs, tickIntervalMs: STEP },
          undefined,
        );
        scoredLoads.push(...scored.absErrors.map((error) => step.medianLoad + error));
        previous = {
          planningQuantile: scored.quantile.quantile,
          updatedAtMs: nowMs,
          ...(scored.scoredUntilMs !== undefined ? { scoredUntilMs: scored.scoredUntilMs } : {}),
          unscoredSteps: stepsLeftToScore(scored.pastSteps, [], scored.scoredUntilMs, nowMs),
        };
      }
      world.recordMinute('web', t, t - START >= 3 * MINUTE && t < START + STEP ? 400 : 100);
    }
    expect(scoredLoads).toHaveLength(1);
    expect(scoredLoads[0]).toBeCloseTo(220, 6);
  });

  it('scores a step waiting for its data against the capacity in service when it ended, not after a scale-out since', async () => {
    const settings = groupSettingsSchema.parse({ stepSeconds: 300, historyDays: 3 });
    const step: PlannedStep = {
      startMs: START,
      endMs: START + STEP,
      plannedLoad: 100,
      medianLoad: 100,
      plannedCapacity: 2,
    };
    // 200 on 2 instances of target 60: short. By the next run target tracking has added 8.
    const history = [{ timestampMs: START, value: 200 }];
    const run = (nowMs: number, inServiceCapacity: number, previous: GroupState) =>
      scorePastPlans(
        new MemoryStateStore(),
        settings,
        groupSnapshot({ name: 'web', inServiceCapacity }),
        history,
        previous,
        { nowMs, tickIntervalMs: STEP },
        undefined,
      );
    const atEnd = await run(START + STEP + 20_000, 2, {
      planningQuantile: 0.9,
      updatedAtMs: START,
      unscoredSteps: [step],
    });
    expect(atEnd.absErrors).toEqual([]);
    const next = await run(START + 2 * STEP + 20_000, 10, {
      planningQuantile: atEnd.quantile.quantile,
      updatedAtMs: START + STEP,
      unscoredSteps: stepsLeftToScore(atEnd.pastSteps, [], atEnd.scoredUntilMs, START + STEP + 20_000),
    });
    expect(next.quantile.reason).toContain('under-provisioned on 1 of 1');
  });
});
