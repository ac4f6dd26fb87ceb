import { CAMPAIGN_DETAIL_TYPES, CAMPAIGN_EVENT_SOURCE } from '../../../../shared/contracts/campaign-events';
import { PrescaleLambdas } from '../../../../shared/simulation/run/prescale-lambdas';
import {
  CAMPAIGN_SCHEDULE_GROUP,
  sendCampaignEvent,
} from '../../../../shared/simulation/scenarios/campaign-lambda';
import {
  CAMPAIGN_GROUP,
  campaignScenario,
  campaignScheduledEvent,
} from '../../../../shared/simulation/scenarios/campaign-scenario';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';

const MINUTE_MS = 60_000;

/** The campaign scenario's world at the window's start: its one group, enrolled, and nothing else. */
function campaignWorld(built: ReturnType<typeof campaignScenario>): SimulatedWorld {
  const s = built.scenario;
  const world = new SimulatedWorld({ startMs: s.evalStartMs, seed: s.seed });
  world.createGroup({
    name: CAMPAIGN_GROUP,
    minSize: 1,
    maxSize: 40,
    desiredCapacity: 8,
    instanceType: s.instanceType,
    tags: { 'prescale:enabled': 'true' },
    launchDelaySeconds: s.launchDelaySeconds,
    launchJitterSeconds: s.launchJitterSeconds,
    warmupSeconds: s.warmupSeconds,
    warmPoolLaunchSeconds: 30,
  });
  return world;
}

describe('the simulated Scheduler under the real receive-campaign-event handler', () => {
  const built = campaignScenario();
  let lambdas: PrescaleLambdas;

  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(built.config);
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it('cancels a campaign whose pre-warm already fired and deleted itself, through the real ResourceNotFoundException', async () => {
    const world = campaignWorld(built);
    await lambdas.attach(world);
    const scheduled = (await sendCampaignEvent(
      lambdas,
      world,
      campaignScheduledEvent('spring-sale-2024', [CAMPAIGN_GROUP], built.spikeStartMs, built.spikeEndMs, 3),
    )) as { kind: string; prewarmAtMs: number; releaseAtMs: number };
    expect(scheduled).toMatchObject({ kind: 'applied', releaseAtMs: built.spikeEndMs });
    const scheduler = world.services.scheduler;
    expect(
      scheduler
        .schedules(CAMPAIGN_SCHEDULE_GROUP)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['spring-sale-2024.prewarm', 'spring-sale-2024.release']);

    // The pre-warm comes due: Scheduler invokes the pre-warm function with its input and deletes it.
    const cancelAtMs = scheduled.prewarmAtMs + 5 * MINUTE_MS;
    world.advanceTo(cancelAtMs);
    expect(scheduler.invocations()).toEqual([
      expect.objectContaining({
        scheduleName: 'spring-sale-2024.prewarm',
        input: JSON.stringify({ campaignId: 'spring-sale-2024', action: 'prewarm' }),
        invokedAtMs: scheduled.prewarmAtMs,
      }),
    ]);
    expect(scheduler.schedules(CAMPAIGN_SCHEDULE_GROUP).map((s) => s.name)).toEqual([
      'spring-sale-2024.release',
    ]);

    const answer = jest.spyOn(scheduler, 'answer');
    const cancelled = await sendCampaignEvent(lambdas, world, {
      version: '0',
      id: 'event-spring-sale-2024-cancel',
      source: CAMPAIGN_EVENT_SOURCE,
      'detail-type': CAMPAIGN_DETAIL_TYPES.cancelled,
      account: '123456789012',
      region: 'us-east-1',
      time: new Date(cancelAtMs).toISOString(),
      resources: [],
      detail: { campaignId: 'spring-sale-2024', reason: 'called off' },
    });

    // The receiver's DeleteSchedule of the pre-warm was refused as AWS refuses it, and tolerated.
    const deletes = answer.mock.calls
      .map((call, index) => ({ call, result: answer.mock.results[index] }))
      .filter(({ call }) => call[0] === 'DeleteScheduleCommand');
    expect(deletes).toEqual([
      {
        call: ['DeleteScheduleCommand', expect.objectContaining({ Name: 'spring-sale-2024.prewarm' })],
        result: {
          type: 'throw',
          value: expect.objectContaining({ name: 'ResourceNotFoundException' }),
        },
      },
    ]);
    const releaseAtMs = Math.ceil((cancelAtMs + MINUTE_MS) / 1000) * 1000;
    expect(cancelled).toMatchObject({ kind: 'applied', type: 'cancelled', releaseAtMs });
    // The release moved to a minute from now (Create → ConflictException → Update).
    expect(scheduler.schedules(CAMPAIGN_SCHEDULE_GROUP)).toEqual([
      expect.objectContaining({ name: 'spring-sale-2024.release', dueAtMs: releaseAtMs }),
    ]);
    answer.mockRestore();
  });
});
