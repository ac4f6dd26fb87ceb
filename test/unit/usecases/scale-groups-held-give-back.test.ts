import { overrideAwsTransport } from '../../../shared/aws/aws-clients';
import type { UserConfig } from '../../../shared/contracts/user-config';
import { type ForecastFn, scaleGroups } from '../../../shared/usecases/scale-groups';
import {
  forecastOf,
  SCALE_GROUPS_NOW_MS as NOW,
  peakWithinTheHour,
  webLookAheadConfig,
} from '../../helpers/scale-groups-setup';
import { simulatedWebGroup } from '../../helpers/simulated-web-group';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * `web` in the simulated Auto Scaling (MinSize 2 of 30, target tracking at 60 % CPU) driven by the
 * real adapters, and a run whose forecast is a peak of 720 (12 instances) for the next hour: the
 * live run raises MinSize to 12 and writes a look-ahead (of `lookAheadHours`) that gives 2 back 24 h out.
 */
async function raisedTo12(lookAheadHours = 24, { maxSize = 30, maxRaiseOverMaxSize = 0 } = {}) {
  const { world, deps, stateStore, clock, killSwitch, minSize } = simulatedWebGroup(
    maxSize,
    peakWithinTheHour() as ForecastFn,
  );
  const config = webLookAheadConfig(lookAheadHours, maxRaiseOverMaxSize);
  const [live] = await scaleGroups(deps, config, [{ groupName: 'web', tickMs: NOW }]);
  expect(live).toMatchObject({ outcome: { kind: 'applied', after: { minSize: 12 } } });
  /**
   * Runs every `everyMinutes` from the last run up to `hours` after the live run, the world moving
   * on between.
   */
  const runHeld = async (cfg: UserConfig, hours: number, everyMinutes = 30) => {
    deps.forecast = forecastOf(() => 100);
    const seen: { atMs: number; minSize: number | undefined }[] = [];
    const everyMs = everyMinutes * MINUTE_MS;
    for (let t = clock.ms - NOW + everyMs; t <= hours * HOUR_MS; t += everyMs) {
      for (let at = clock.ms; at <= NOW + t; at += 15_000) world.advanceTo(at);
      clock.ms = NOW + t;
      await scaleGroups(deps, cfg, [{ groupName: 'web', tickMs: clock.ms }]);
      seen.push({ atMs: clock.ms, minSize: minSize() });
    }
    return seen;
  };
  const tag = (Key: string, Value: string) =>
    world.autoScaling.createOrUpdateTags({
      Tags: [{ ResourceId: 'web', ResourceType: 'auto-scaling-group', Key, Value, PropagateAtLaunch: false }],
    });
  const lastRecord = () => stateStore.records.get('web')?.at(-1);
  const bounds = () =>
    (
      world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
        AutoScalingGroups: { MinSize: number; MaxSize: number; DesiredCapacity: number }[];
      }
    ).AutoScalingGroups[0];
  const setByHand = (sizes: { MinSize?: number; MaxSize?: number }) =>
    world.autoScaling.updateAutoScalingGroup({ AutoScalingGroupName: 'web', ...sizes });
  return {
    world,
    bounds,
    setByHand,
    deps,
    config,
    stateStore,
    runHeld,
    minSize,
    tag,
    lastRecord,
    pause: () => (killSwitch.on = true),
  };
}

afterEach(() => overrideAwsTransport(undefined));

describe('scaleGroups giving the MinSize it raised back while it is held', () => {
  it.each([
    [
      'forecast-only by tag',
      (w: Awaited<ReturnType<typeof raisedTo12>>) => w.tag('prescale:mode', 'forecast-only'),
    ],
    ['paused by tag', (w: Awaited<ReturnType<typeof raisedTo12>>) => w.tag('prescale:paused', 'true')],
    ['paused by the kill switch', (w: Awaited<ReturnType<typeof raisedTo12>>) => w.pause()],
  ])(
    'keeps the look-ahead’s give-back when %s: MinSize is 2 again within lookAhead.hours',
    async (_n, hold) => {
      const w = await raisedTo12();
      hold(w);
      const seen = await w.runHeld(w.config, 25);
      // Nothing else of the look-ahead acted: MinSize stayed 12 until the give-back at noon tomorrow.
      const givenBackAt = seen.find((s) => s.minSize === 2)?.atMs;
      expect(givenBackAt).toBe(NOW + 24 * HOUR_MS);
      expect(seen.filter((s) => s.atMs < NOW + 24 * HOUR_MS).every((s) => s.minSize === 12)).toBe(true);
      expect(w.minSize()).toBe(2);
      const held = w.stateStore.records.get('web')?.[1];
      expect(held?.outcome).toMatchObject({ kind: 'held' });
      expect(held?.outcome.reason).toContain(
        `MinSize 12 is above the group's own 2: the look-ahead's last action "prescale-20260303T1200Z", kept while held, gives back MinSize 2 at 2026-03-03T12:00:00.000Z`,
      );
      // Once given back there is nothing left to say.
      expect(w.lastRecord()?.outcome.reason).not.toContain('MinSize');
    },
  );

  it('keeps the give-back in a dry run, which writes nothing else', async () => {
    const w = await raisedTo12();
    const seen = await w.runHeld({ ...w.config, dryRun: true }, 25);
    expect(seen.find((s) => s.minSize === 2)?.atMs).toBe(NOW + 24 * HOUR_MS);
    const dry = w.stateStore.records.get('web')?.[1];
    expect(dry?.outcome).toMatchObject({ kind: 'dry-run', wouldSet: { minSize: 2 } });
    expect(dry?.outcome.reason).toContain(
      `the look-ahead's last action "prescale-20260303T1200Z", kept in a dry run, gives back MinSize 2`,
    );
  });

  it("deletes the give-back while a rolling update holds the group's lock, and names no MinSize of its", async () => {
    const w = await raisedTo12();
    await w.stateStore.acquireLock({
      groupName: 'web',
      holder: 'rolling-update:web:7',
      acquiredAtMs: NOW,
      expiresAtMs: NOW + 48 * HOUR_MS,
    });
    const seen = await w.runHeld(w.config, 25, 60);
    expect(seen.every((s) => s.minSize === 12)).toBe(true);
    expect(w.lastRecord()?.outcome.reason).toBe('group is held by rolling-update:web:7');
  });

  it('says MinSize is left in place where no look-ahead gives it back (lookAhead.hours 0)', async () => {
    const w = await raisedTo12(0);
    w.tag('prescale:paused', 'true');
    await w.runHeld(w.config, 1);
    expect(w.minSize()).toBe(12);
    expect(w.lastRecord()?.outcome.reason).toBe(
      'group is paused by tag (value "true"); ' +
        "MinSize 12 is above the group's own 2, left in place while held: no look-ahead action gives it back; the next run that may act lowers it, or set it back by hand",
    );
  });
});

describe('scaleGroups keeping no give-back that would undo what the operator set while held', () => {
  it('deletes the give-back of a MaxSize raise once the operator sets MaxSize by hand (the DemandAboveMaxSize runbook)', async () => {
    const w = await raisedTo12(24, { maxSize: 10, maxRaiseOverMaxSize: 2 });
    expect(w.bounds()).toMatchObject({ MinSize: 12, MaxSize: 12 });
    w.tag('prescale:paused', 'true');
    w.setByHand({ MaxSize: 20 });
    await w.runHeld(w.config, 25);
    // The give-back would have set MaxSize 10 (desired 12 forced to 10) and MinSize 2 at +24 h; the
    // look-ahead's bridge (MinSize 10 at 12:10) ran before the first held run, as Prescale's.
    expect(w.bounds()).toMatchObject({ MinSize: 10, MaxSize: 20, DesiredCapacity: 12 });
    expect(w.world.autoScaling.describeScheduledActions({ AutoScalingGroupName: 'web' })).toMatchObject({
      ScheduledUpdateGroupActions: [],
    });
    expect(w.lastRecord()?.outcome.reason).toContain('no look-ahead action gives it back');
  });

  it('deletes the give-back once the operator sets MinSize by hand', async () => {
    const w = await raisedTo12();
    w.tag('prescale:paused', 'true');
    await w.runHeld(w.config, 1);
    w.setByHand({ MinSize: 14 });
    await w.runHeld(w.config, 25);
    expect(w.bounds()).toMatchObject({ MinSize: 14 });
  });

  it("keeps the give-back of a raise while MaxSize and MinSize are still what Prescale left, its look-ahead's actions that ran included", async () => {
    const w = await raisedTo12(24, { maxSize: 10, maxRaiseOverMaxSize: 2 });
    w.tag('prescale:paused', 'true');
    const seen = await w.runHeld(w.config, 25);
    // The look-ahead's bridge set MinSize 10 at 12:10, before the first held run: Prescale's too.
    expect(seen[0]?.minSize).toBe(10);
    expect(seen.find((s) => s.minSize === 2)?.atMs).toBe(NOW + 24 * HOUR_MS);
    expect(w.bounds()).toMatchObject({ MinSize: 2, MaxSize: 10 });
  });
});

describe('scaleGroups on a group Auto Scaling is deleting', () => {
  it('holds it, changing nothing of it, its look-ahead included, and does not fail', async () => {
    const w = await raisedTo12();
    w.world.autoScaling.deleteAutoScalingGroup({ AutoScalingGroupName: 'web', ForceDelete: true });
    const lookAhead = w.world.autoScaling.describeScheduledActions({ AutoScalingGroupName: 'web' });
    const [held] = await scaleGroups(w.deps, w.config, [{ groupName: 'web', tickMs: NOW + 5 * MINUTE_MS }]);
    expect(held).toMatchObject({
      kind: 'ran',
      outcome: { kind: 'held', reason: expect.stringMatching(/^group is being deleted/) },
      lookAhead: { kind: 'left' },
    });
    expect(w.world.autoScaling.describeScheduledActions({ AutoScalingGroupName: 'web' })).toEqual(lookAhead);
  });

  it('reports a group gone once its deletion completes, and does not fail the run', async () => {
    const w = await raisedTo12();
    w.world.autoScaling.deleteAutoScalingGroup({ AutoScalingGroupName: 'web', ForceDelete: true });
    w.world.advanceTo(NOW + MINUTE_MS);
    const [gone] = await scaleGroups(w.deps, w.config, [{ groupName: 'web', tickMs: NOW + 5 * MINUTE_MS }]);
    expect(gone).toEqual({ kind: 'not-found', groupName: 'web' });
  });
});
