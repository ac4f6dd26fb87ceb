/**
 * The pre-warm and the release against a group that changed after their first read of it, run as
 * Prescale's real `prewarm-campaign` handler in the simulated account. The change lands while the
 * action works on the group itself (a rolling update: its lock is read when the group's turn comes)
 * or on another group of the campaign (target tracking: the sizes are read for all groups at once).
 */
import { toAttributeMap } from '../../../shared/aws/dynamo-db-attributes';
import { STATE_KEYS } from '../../../shared/contracts/state-keys';
import { invokeLambda } from '../../../shared/simulation/run/invoke-lambda';
import { PrescaleLambdas } from '../../../shared/simulation/run/prescale-lambdas';
import { SCENARIO_DEFAULTS } from '../../../shared/simulation/run/scenario';
import { sendCampaignEvent } from '../../../shared/simulation/scenarios/campaign-lambda';
import {
  campaignScheduledEvent,
  dailyLoad,
  scenarioConfig,
} from '../../../shared/simulation/scenarios/campaign-scenario';
import type { WorldAnswer } from '../../../shared/simulation/world/simulated-world';
import { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const HISTORY_START_MS = Date.UTC(2024, 0, 1);
const NOW_MS = HISTORY_START_MS + 8 * 24 * HOUR_MS + 3 * HOUR_MS;
const START_MS = NOW_MS + 2 * HOUR_MS;
const END_MS = START_MS + 2 * HOUR_MS;
const CAMPAIGN = 'fresh-read-sale';
/** The rolling update's headroom on web: above anything the campaign plans there. */
const HEADROOM = 12;
/** Where target tracking takes web: above anything the campaign plans there. */
const SCALED_OUT = 15;

const config = scenarioConfig(SCENARIO_DEFAULTS);

type Change = (next: WorldAnswer) => Promise<void>;

interface CampaignWorld {
  readonly world: SimulatedWorld;
  /** Runs `change` once, right after the world answers Prescale's next `commandName` on `groupName`. */
  readonly changeAfter: (commandName: string, groupName: string, change: Change) => void;
  /** Every UpdateAutoScalingGroup Prescale sent for web, in order. */
  readonly webUpdates: Record<string, unknown>[];
}

/** api and web, 4 instances each on a daily cycle, with 8 days of history; web with target tracking when `policies`. */
function campaignWorld(policies: boolean): CampaignWorld {
  let pending: { commandName: string; groupName: string; change: Change } | undefined;
  const webUpdates: Record<string, unknown>[] = [];
  const world = new SimulatedWorld({
    startMs: NOW_MS,
    seed: 11,
    faults: {
      answer: async (service, commandName, input, next) => {
        const answer = await next(service, commandName, input);
        const named = input as { AutoScalingGroupName?: string; Tags?: { ResourceId?: string }[] };
        const group = named.AutoScalingGroupName ?? named.Tags?.[0]?.ResourceId;
        if (commandName === 'UpdateAutoScalingGroupCommand' && group === 'web')
          webUpdates.push(input as Record<string, unknown>);
        const due = pending;
        if (due && due.commandName === commandName && due.groupName === group) {
          pending = undefined;
          await due.change(next);
        }
        return answer;
      },
    },
  });
  for (const name of ['api', 'web']) {
    world.createGroup({
      name,
      minSize: 1,
      maxSize: 20,
      desiredCapacity: 4,
      instanceType: SCENARIO_DEFAULTS.instanceType,
      tags: { 'prescale:enabled': 'true' },
      launchDelaySeconds: SCENARIO_DEFAULTS.launchDelaySeconds,
      launchJitterSeconds: SCENARIO_DEFAULTS.launchJitterSeconds,
      warmupSeconds: SCENARIO_DEFAULTS.warmupSeconds,
      warmPoolLaunchSeconds: 30,
      ...(policies && name === 'web' ? { targetTrackingCpu: 60 } : {}),
    });
    world.seedHistory(name, HISTORY_START_MS, NOW_MS, dailyLoad(240), 60);
  }
  return {
    world,
    changeAfter: (commandName, groupName, change) => (pending = { commandName, groupName, change }),
    webUpdates,
  };
}

type GroupResult = { groupName: string; kind: string; releasePending?: boolean };

async function act(lambdas: PrescaleLambdas, action: 'prewarm' | 'release'): Promise<GroupResult[]> {
  const result = (await invokeLambda(lambdas, 'prewarm-campaign', { campaignId: CAMPAIGN, action })) as {
    groups: GroupResult[];
  };
  return result.groups;
}

const webOf = (world: SimulatedWorld) =>
  (
    world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
      AutoScalingGroups: { MinSize: number; DesiredCapacity: number }[];
    }
  ).AutoScalingGroups[0];

/** A rolling update on web: its lock taken, a refresh started and its headroom set (MinSize and DesiredCapacity). */
function rollingUpdateOnWeb(lambdas: PrescaleLambdas, world: SimulatedWorld): Change {
  return async (next) => {
    const nowMs = world.clock.nowMs();
    await lambdas.stateTableTask('PutItem', {
      Item: toAttributeMap({
        pk: STATE_KEYS.groupPk('web'),
        sk: STATE_KEYS.lockSk,
        holder: 'rolling-update-1',
        acquiredAtMs: nowMs,
        expiresAtMs: nowMs + 6 * HOUR_MS,
      }),
    });
    await next('autoscaling', 'StartInstanceRefreshCommand', {
      AutoScalingGroupName: 'web',
      Preferences: { MinHealthyPercentage: 100, MaxHealthyPercentage: 200 },
    });
    await next('autoscaling', 'UpdateAutoScalingGroupCommand', {
      AutoScalingGroupName: 'web',
      MinSize: HEADROOM,
      DesiredCapacity: HEADROOM,
    });
  };
}

/** Target tracking scaling web out (its SetDesiredCapacity, as the policy's alarm action sets it). */
const targetTrackingScalesWeb: Change = async (next) => {
  await next('autoscaling', 'SetDesiredCapacityCommand', {
    AutoScalingGroupName: 'web',
    DesiredCapacity: SCALED_OUT,
  });
};

describe('prewarmCampaign on a group changed after its first read (real handler, simulated AWS)', () => {
  let lambdas: PrescaleLambdas;

  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(config);
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  async function scheduled(policies: boolean): Promise<CampaignWorld> {
    const built = campaignWorld(policies);
    await lambdas.attach(built.world);
    const event = campaignScheduledEvent(CAMPAIGN, ['api', 'web'], START_MS, END_MS, 2);
    expect(await sendCampaignEvent(lambdas, built.world, event)).toMatchObject({ kind: 'applied' });
    return built;
  }

  it('holds a pre-warm whose group a rolling update locked and refreshes since the first read', async () => {
    const { world, changeAfter, webUpdates } = await scheduled(false);
    // While web's pre-warm forecasts: after its first read of the group and of its lock.
    changeAfter('CreateOrUpdateTagsCommand', 'web', rollingUpdateOnWeb(lambdas, world));
    const groups = await act(lambdas, 'prewarm');
    expect(groups).toEqual([
      expect.objectContaining({ groupName: 'api', kind: 'raised' }),
      expect.objectContaining({ groupName: 'web', kind: 'held' }),
    ]);
    expect(webUpdates).toEqual([]);
    expect(webOf(world)).toMatchObject({ MinSize: HEADROOM, DesiredCapacity: HEADROOM });
  });

  it("records the group as read again, so the release gives back only the campaign's raise over the operator's", async () => {
    const alone = await scheduled(false);
    await act(lambdas, 'prewarm');
    const planned = webOf(alone.world)?.MinSize ?? 0;
    expect(planned).toBeGreaterThan(5);
    const operators = planned - 1;
    const { world, changeAfter } = await scheduled(false);
    // The operator raises web by hand while its pre-warm forecasts, after its first read of it.
    changeAfter('CreateOrUpdateTagsCommand', 'web', async (next) => {
      await next('autoscaling', 'UpdateAutoScalingGroupCommand', {
        AutoScalingGroupName: 'web',
        MinSize: operators,
        DesiredCapacity: operators,
      });
    });
    await act(lambdas, 'prewarm');
    expect(webOf(world)).toMatchObject({ MinSize: planned, DesiredCapacity: planned });
    world.advanceTo(END_MS);
    await act(lambdas, 'release');
    expect(webOf(world)).toMatchObject({ MinSize: operators, DesiredCapacity: operators });
  });

  it('raises MinSize alone on a group with scaling policies, keeping what they scaled out to since the first read', async () => {
    const { world, changeAfter, webUpdates } = await scheduled(true);
    changeAfter('UpdateAutoScalingGroupCommand', 'api', targetTrackingScalesWeb);
    const groups = await act(lambdas, 'prewarm');
    expect(groups).toEqual([
      expect.objectContaining({ groupName: 'api', kind: 'raised' }),
      expect.objectContaining({ groupName: 'web', kind: 'raised' }),
    ]);
    expect(webUpdates).toHaveLength(1);
    expect(webUpdates[0]).not.toHaveProperty('DesiredCapacity');
    expect(webOf(world)?.MinSize).toBeGreaterThan(4);
    expect(webOf(world)?.DesiredCapacity).toBe(SCALED_OUT);
  });

  it('leaves to the loop a release whose group a rolling update locked and refreshes since the first read', async () => {
    const { world, changeAfter, webUpdates } = await scheduled(false);
    await act(lambdas, 'prewarm');
    const raised = webOf(world)?.MinSize ?? 0;
    expect(raised).toBeGreaterThan(4);
    expect(raised).toBeLessThan(HEADROOM);
    world.advanceTo(END_MS);
    webUpdates.length = 0;
    // While web's release reads the group's own scheduled actions, after its first read of its lock.
    changeAfter('DescribeScheduledActionsCommand', 'web', rollingUpdateOnWeb(lambdas, world));
    const groups = await act(lambdas, 'release');
    expect(groups).toEqual([
      expect.objectContaining({ groupName: 'api', kind: 'lowered' }),
      expect.objectContaining({ groupName: 'web', kind: 'held' }),
    ]);
    expect(groups[1]?.releasePending).toBeUndefined();
    expect(webUpdates).toEqual([]);
    expect(webOf(world)).toMatchObject({ MinSize: HEADROOM, DesiredCapacity: HEADROOM });
  });

  it('lowers MinSize alone on a group with scaling policies, keeping what they scaled out to since the first read', async () => {
    const { world, changeAfter, webUpdates } = await scheduled(true);
    await act(lambdas, 'prewarm');
    expect(webOf(world)?.MinSize).toBeGreaterThan(4);
    world.advanceTo(END_MS);
    webUpdates.length = 0;
    changeAfter('UpdateAutoScalingGroupCommand', 'api', targetTrackingScalesWeb);
    const groups = await act(lambdas, 'release');
    expect(groups).toEqual([
      expect.objectContaining({ groupName: 'api', kind: 'lowered' }),
      expect.objectContaining({ groupName: 'web', kind: 'lowered' }),
    ]);
    expect(webUpdates).toHaveLength(1);
    expect(webUpdates[0]).not.toHaveProperty('DesiredCapacity');
    expect(webOf(world)).toMatchObject({ MinSize: 1, DesiredCapacity: SCALED_OUT });
  });
});
