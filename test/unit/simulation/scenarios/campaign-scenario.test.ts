import { PrescaleLambdas } from '../../../../shared/simulation/run/prescale-lambdas';
import {
  CAMPAIGN_GROUP,
  type CampaignScenarioResult,
  campaignScenario,
  runCampaignScenario,
} from '../../../../shared/simulation/scenarios/campaign-scenario';

describe('runCampaignScenario (real handlers, campaign sent through receive-campaign-event)', () => {
  const built = campaignScenario();
  let result: CampaignScenarioResult;
  let lambdas: PrescaleLambdas;

  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(built.config);
    result = await runCampaignScenario(lambdas, built);
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it('stores the campaign through the real handler', () => {
    expect(result.campaignResult).toMatchObject({ kind: 'applied' });
    expect(result.prescale.handlerErrors).toEqual([]);
    expect(result.prescale.failedActions).toEqual([]);
  });

  it('pre-warms before the spike and releases at its end, from the schedules Scheduler fires, beside the loop', () => {
    const [prewarm, release, ...more] = result.campaignActions;
    expect(more).toEqual([]);
    expect(prewarm).toMatchObject({
      scheduleName: 'spring-sale-2024.prewarm',
      result: { kind: 'done', groups: [{ kind: 'raised', groupName: CAMPAIGN_GROUP }] },
    });
    expect(prewarm?.invokedAtMs).toBeLessThan(built.spikeStartMs);
    expect(release).toMatchObject({
      scheduleName: 'spring-sale-2024.release',
      invokedAtMs: built.spikeEndMs,
      result: { kind: 'done', action: 'release' },
    });
  });

  it('keeps SLO-violation minutes below target tracking alone', () => {
    expect(result.prescale.groups[CAMPAIGN_GROUP]?.sloViolationMinutes).toBeLessThan(
      result.reactive.groups[CAMPAIGN_GROUP]?.sloViolationMinutes ?? 0,
    );
  });

  it('has the spike capacity in service when the spike starts, and target tracking does not', () => {
    expect(result.prescaleReadyAtSpikeStart).toBeGreaterThanOrEqual(result.demandAtSpikeStart);
    expect(result.reactiveReadyAtSpikeStart).toBeLessThan(result.demandAtSpikeStart);
  });
});
