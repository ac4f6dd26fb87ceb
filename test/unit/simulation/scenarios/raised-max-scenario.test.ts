import { CAMPAIGN_GROUP } from '../../../../shared/simulation/scenarios/campaign-scenario';
import {
  raisedMaxScenario,
  runRaisedMaxScenario,
} from '../../../../shared/simulation/scenarios/raised-max-scenario';
import type { GroupRun } from '../../../../shared/simulation/scenarios/run-groups';

const MINUTE_MS = 60_000;

describe('runRaisedMaxScenario (real handlers, a campaign that needs more than MaxSize)', () => {
  const built = raisedMaxScenario();
  const spike = (built.spikeStartMs - built.scenario.evalStartMs) / MINUTE_MS;
  const spikeEnd = (built.spikeEndMs - built.scenario.evalStartMs) / MINUTE_MS;
  let raised: GroupRun;
  let kept: GroupRun;
  let handlerErrors: readonly string[];

  beforeAll(async () => {
    const withRaise = await runRaisedMaxScenario(built);
    const without = await runRaisedMaxScenario(raisedMaxScenario({ maxRaiseOverMaxSize: 0 }));
    handlerErrors = [...withRaise.handlerErrors, ...without.handlerErrors];
    raised = withRaise.groups[CAMPAIGN_GROUP] as GroupRun;
    kept = without.groups[CAMPAIGN_GROUP] as GroupRun;
  });

  it('runs every handler without an error', () => {
    expect(handlerErrors).toEqual([]);
  });

  it('raises MaxSize for the campaign, never past the allowance, and serves its first minute', () => {
    expect(Math.max(...raised.maxSize)).toBeLessThanOrEqual(built.maxSize + built.maxRaiseOverMaxSize);
    expect(raised.maxSize[spike]).toBeGreaterThan(built.maxSize);
    expect(raised.supply[spike]).toBeGreaterThanOrEqual(raised.demand[spike] as number);
    expect(raised.supply[spike]).toBeGreaterThan(built.maxSize);
  });

  it('puts MaxSize back once the campaign is over, and never raises it without the allowance', () => {
    expect(raised.maxSize.slice(spikeEnd + 30)).toEqual(
      raised.maxSize.slice(spikeEnd + 30).map(() => built.maxSize),
    );
    expect(raised.maxSize.slice(0, spike - 180)).toEqual(
      raised.maxSize.slice(0, spike - 180).map(() => built.maxSize),
    );
    expect(new Set(kept.maxSize)).toEqual(new Set([built.maxSize]));
    expect(raised.sloViolationMinutes).toBeLessThan(kept.sloViolationMinutes);
  });
});
