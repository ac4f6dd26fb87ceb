import { workflowStateSchema } from '../../shared/contracts/rolling-update';
import { TransientDependencyError } from '../../shared/ports/errors';
import { chooseUpdateWindow } from '../../shared/usecases/choose-update-window';
import type { CampaignWindowsFn } from '../../shared/usecases/group-forecaster';
import type { ForecastFn } from '../../shared/usecases/scale-groups';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { upperBoundForecast } from '../helpers/demand-forecast';
import { extractDefinition, RollingUpdateWorld, T0 } from './rolling-update-harness';
import { runRollingUpdate } from './rolling-update-run';

/** The synthesized rolling-update state machine, executed on the simulated group's handlers. */
const definition = extractDefinition(
  synthesizedTemplate({ ...TEST_CONFIG, rollingUpdate: { alarmNames: ['web-5xx'] } }),
);

/** When the look-ahead's kept give-back of web's own MinSize 2 runs: 01:30. */
const GIVE_BACK_MS = T0 + 30 * 60_000;

/**
 * A live run pre-warmed web to MinSize 5; forecast-only since, the loop keeps the give-back of its
 * own 2 at 01:30 (and would delete it under an update's lock).
 */
function preWarmedForecastOnly(): RollingUpdateWorld {
  const world = new RollingUpdateWorld(
    { minSize: 5, desiredCapacity: 5, inServiceCapacity: 5 },
    { mode: 'forecast-only', rollingUpdate: { alarmNames: ['web-5xx'] } },
  );
  const giveBack = { name: 'prescale-20260302T0130Z', startMs: GIVE_BACK_MS, minSize: 2 };
  world.scheduledCapacity.actions.set('web', new Map([[giveBack.name, giveBack]]));
  return world;
}

describe('RollingUpdateWorkflow window', () => {
  it('is chosen for the refresh of the capacity the headroom raises the group to', async () => {
    const world = new RollingUpdateWorld({}, { rollingUpdate: { alarmNames: ['web-5xx'] } });
    // 300 at 60 an instance: 5 healthy, so headroom takes desired from 4 to 6, each replaced
    // alone (90–110 % healthy) in 120 s of launch and 300 s of warmup: 2520 s, not 4's 1680 s.
    world.load = () => 300;
    const result = await runRollingUpdate(definition, world, {
      groupName: 'web',
      launchTemplateVersion: '7',
    });
    expect(result).toMatchObject({
      ok: true,
      output: { window: expect.stringContaining('over the next 2520s fits') },
    });
    expect(world.calls('Add headroom')[0]).toMatchObject({ DesiredCapacity: 6 });
    // The refresh deadline (and so the lock) is three times the refresh that runs.
    const [lock] = world.calls('Acquire group lock') as { Item: { expiresAtMs: { N: string } } }[];
    expect(Number(lock?.Item.expiresAtMs.N)).toBe(T0 + 3 * 2520_000 + 6 * 3_600_000);
  });

  it("on a forecast-only group starts after the look-ahead's give-back, so the restore keeps the group's own MinSize", async () => {
    const world = preWarmedForecastOnly();
    // Each look for a window runs at the time its wait ends, Auto Scaling having run what fell due.
    world.lambdaOverrides.set('Choose update window', async (input) => {
      const state = workflowStateSchema.parse(input);
      if (state.window?.decision === 'wait') world.nowMs += state.window.waitSeconds * 1000;
      const due = world.scheduledCapacity.of('web').filter((a) => (a.startMs ?? Infinity) <= world.nowMs);
      for (const a of due) await world.scalingTarget.updateCapacity('web', { minSize: a.minSize as number });
      await world.scheduledCapacity.deleteScheduledActions(
        'web',
        due.map((a) => a.name),
      );
      return chooseUpdateWindow(world.deps, world.config, state.plan);
    });
    let headroomAtMs: number | undefined;
    world.afterSdkCall.set('Add headroom', () => {
      headroomAtMs = world.nowMs;
    });
    const result = await runRollingUpdate(definition, world, {
      groupName: 'web',
      launchTemplateVersion: '7',
    });
    expect(result).toMatchObject({ ok: true });
    expect(headroomAtMs).toBeGreaterThanOrEqual(GIVE_BACK_MS);
    expect(world.group).toMatchObject({ minSize: 2 });
  });

  it("forced on a forecast-only group before the look-ahead's give-back, gives the group's own MinSize back at the restore", async () => {
    const world = preWarmedForecastOnly();
    // The loop's next run under the lock deletes its look-ahead, the give-back with it.
    world.afterSdkCall.set('Acquire group lock', async () => {
      await world.scheduledCapacity.deleteScheduledActions('web', ['prescale-20260302T0130Z']);
    });
    let headroomAtMs: number | undefined;
    world.afterSdkCall.set('Add headroom', () => {
      headroomAtMs = world.nowMs;
    });
    const result = await runRollingUpdate(definition, world, {
      groupName: 'web',
      launchTemplateVersion: '7',
      force: true,
    });
    expect(result).toMatchObject({ ok: true });
    expect(headroomAtMs).toBeLessThan(GIVE_BACK_MS);
    expect(world.scheduledCapacity.of('web')).toEqual([]);
    expect(world.group).toMatchObject({ minSize: 2 });
  });

  describe('with a campaign calendar that DynamoDB throttles', () => {
    /**
     * A sale of five times web's 120 from now for two hours: 600, more than the 9 instances left
     * healthy at its MaxSize 10 carry at 60 each.
     */
    const sale = {
      campaignId: 'sale',
      startMs: T0,
      endMs: T0 + 2 * 3_600_000,
      uplift: { kind: 'multiplier', factor: 5 },
      rampUpSeconds: 0,
    } as const;

    /**
     * `world` whose window looks read the calendar through `campaignsFor`, forecasting 120 raised
     * by the multipliers of the campaigns they were given.
     */
    function withCalendar(campaignsFor: CampaignWindowsFn): RollingUpdateWorld {
      const world = new RollingUpdateWorld({}, { rollingUpdate: { alarmNames: ['web-5xx'] } });
      world.lambdaOverrides.set('Choose update window', async (input) => {
        const state = workflowStateSchema.parse(input);
        if (state.window?.decision === 'wait') world.nowMs += state.window.waitSeconds * 1000;
        const forecast: ForecastFn = (request) =>
          upperBoundForecast(
            (ms) =>
              (request.campaigns ?? []).reduce(
                (load, c) =>
                  c.uplift.kind === 'multiplier' && c.startMs <= ms && ms < c.endMs
                    ? load * c.uplift.factor
                    : load,
                120,
              ),
            () => world.nowMs,
          )(request);
        return chooseUpdateWindow({ ...world.deps, forecast, campaignsFor }, world.config, state.plan);
      });
      return world;
    }

    it('retries the look and waits past the sale once the calendar answers', async () => {
      let reads = 0;
      const world = withCalendar(async () => {
        reads += 1;
        if (reads <= 2) throw new TransientDependencyError('DynamoDB', 'Query', { refused: true });
        return [sale];
      });
      let lockedAtMs: number | undefined;
      world.afterSdkCall.set('Acquire group lock', () => {
        lockedAtMs = world.nowMs;
      });
      const result = await runRollingUpdate(definition, world, {
        groupName: 'web',
        launchTemplateVersion: '7',
      });
      expect(result).toMatchObject({ ok: true });
      expect(reads).toBeGreaterThan(3);
      expect(world.entered).toContain('Wait for low load');
      expect(lockedAtMs).toBeGreaterThanOrEqual(sale.endMs);
    });

    it('ends as "Could not choose a window", holding no lock, when the calendar never answers', async () => {
      let reads = 0;
      const world = withCalendar(async () => {
        reads += 1;
        throw new TransientDependencyError('DynamoDB', 'Query', { refused: true });
      });
      const result = await runRollingUpdate(definition, world, {
        groupName: 'web',
        launchTemplateVersion: '7',
      });
      expect(result).toMatchObject({ ok: false, error: 'TransientDependencyError' });
      // The first attempt and the task's three retries.
      expect(reads).toBe(4);
      expect(world.entered.filter((s) => s === 'Choose update window')).toHaveLength(1);
      expect(world.entered.at(-1)).toBe('Could not choose a window');
      expect(world.calls('Acquire group lock')).toEqual([]);
      expect(world.lockItem()).toBeUndefined();
    });
  });
});
