import { REFRESH_LEFT_RUNNING } from '../../shared/contracts/rolling-update';
import { stepFunctionsErrorName } from '../../shared/simulation/aws-checks/step-functions-errors';
import { FaultInjector } from '../../shared/simulation/faults/fault-injector';
import { seededRandom } from '../../shared/simulation/seeded-random';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { extractDefinition, namedError, RollingUpdateWorld } from './rolling-update-harness';
import { runRollingUpdate } from './rolling-update-run';

/** The synthesized rolling-update state machine, executed on the simulated group's handlers. */
const definition = extractDefinition(
  synthesizedTemplate({ ...TEST_CONFIG, rollingUpdate: { alarmNames: ['web-5xx'] } }),
);

/**
 * A world whose native rollback never ends (Auto Scaling reports it in progress at every look),
 * its clock moving by the poll interval at each `Wait during rollback` (instant here), with the
 * times of the rollback's looks and of the capacity restore. The clock stands still until then,
 * so the looks come at the lock's acquisition plus whole poll intervals. `ended` is when the run
 * released its lock and when that lock would have expired.
 */
function neverEndingRollback(pollIntervalSeconds: number) {
  const world = new RollingUpdateWorld(
    {},
    { rollingUpdate: { alarmNames: ['web-5xx'], pollIntervalSeconds } },
  );
  world.forwardScript = ['InProgress'];
  world.alarmsInAlarm = ['web-5xx'];
  const looksAtMs: number[] = [];
  world.afterSdkCall.set('Describe refreshes for rollback', () => {
    for (const r of world.refreshes) if (r.Status === 'RollbackSuccessful') r.Status = 'RollbackInProgress';
  });
  const ended: { atMs?: number; lockExpiresAtMs?: number } = {};
  world.taskChecks = async (state) => {
    if (state === 'Release group lock') {
      ended.atMs = world.nowMs;
      ended.lockExpiresAtMs = Number(world.lockItem()?.expiresAtMs?.N);
    }
    if (state !== 'Describe refreshes for rollback') return undefined;
    if (looksAtMs.length > 0) world.nowMs += pollIntervalSeconds * 1000;
    looksAtMs.push(world.nowMs);
    return undefined;
  };
  return { world, looksAtMs, ended };
}

describe('RollingUpdateWorkflow rollback before its lock expires', () => {
  // The lock expires maxRefreshMinutes and 6 hours after it was taken: 105 minutes and hourly
  // looks put one 45 minutes before the expiry, 75 minutes and looks every 40 minutes one 35
  // minutes before it; 30 minutes of margin let each wait a whole interval more, past the expiry.
  it.each([
    [3600, 105, 45],
    [2400, 75, 35],
    [1200, 105, undefined],
  ])(
    'gives up waiting for a rollback and ends, holding capacity under it, while it still holds the lock, polling every %i s (refresh deadline %i min)',
    async (poll, maxRefreshMinutes, lookMinutesBeforeExpiry) => {
      const { world, looksAtMs, ended } = neverEndingRollback(poll);
      const request = { groupName: 'web', launchTemplateVersion: '7', maxRefreshMinutes };
      const result = await runRollingUpdate(definition, world, request);
      expect(result).toMatchObject({ ok: false, error: REFRESH_LEFT_RUNNING });
      expect((result as { cause: string }).cause).toMatch(/^AlarmTriggered: /);
      expect((result as { cause: string }).cause).toContain('gave up waiting');
      expect((result as { cause: string }).cause).toContain('capacity was NOT restored');
      const expiresAtMs = ended.lockExpiresAtMs ?? Number.NaN;
      // The looks' cadence meets that time (whether the rollback still looks by then or not).
      if (lookMinutesBeforeExpiry !== undefined)
        expect((expiresAtMs - (looksAtMs[0] ?? 0)) % (poll * 1000)).toBe(lookMinutesBeforeExpiry * 60_000);
      expect(ended.atMs).toBeLessThan(expiresAtMs);
      // The rollback still replaces instances: no restore under it.
      expect(world.calls('Restore capacity after rollback')).toEqual([]);
      expect(world.lockItem()).toBeUndefined();
    },
  );
});

describe('RollingUpdateWorkflow rollback that Auto Scaling keeps refusing', () => {
  // Auto Scaling answers RollbackInstanceRefresh with ActiveInstanceRefreshNotFound while it still
  // describes the refresh InProgress: the branch must give up by the give-up time, not retry until
  // the lock has expired and the execution runs into Step Functions' history limit.
  it('gives up, holds capacity under the refresh still active and releases its lock while the rollback is refused', async () => {
    const world = new RollingUpdateWorld({}, { rollingUpdate: { alarmNames: ['web-5xx'] } });
    world.forwardScript = ['InProgress'];
    world.alarmsInAlarm = ['web-5xx'];
    world.sdkOverrides.set('Roll back refresh', async () => {
      world.nowMs += 3600_000;
      throw namedError('AutoScaling.ActiveInstanceRefreshNotFoundException', 'no active refresh');
    });
    const result = await runRollingUpdate(definition, world, {
      groupName: 'web',
      launchTemplateVersion: '7',
    });
    expect(world.entered).toContain('Release group lock');
    expect(world.calls('Roll back refresh').length).toBeLessThan(12);
    // The refresh goes on replacing instances with the new version: not "rolled back".
    expect(result).toMatchObject({ ok: false, error: REFRESH_LEFT_RUNNING });
    expect((result as { cause: string }).cause).toMatch(/^AlarmTriggered: /);
    expect((result as { cause: string }).cause).toContain('still active');
    expect((result as { cause: string }).cause).toContain('capacity was NOT restored');
    expect(world.calls('Restore capacity after rollback')).toEqual([]);
    expect(world.published.map((p) => p.Subject)).toEqual([
      'Prescale rolling update left running, capacity held',
    ]);
    expect(world.entered.at(-1)).toBe('Left running, capacity held');
  });

  // IAM (or an SCP) refusing the roll-back or cancel is refused again at every ask: the branch must
  // not ask until the give-up, hours away, before the run ends needing attention.
  it.each([
    ['Roll back refresh', 'RollbackInstanceRefresh', false],
    ['Cancel refresh', 'CancelInstanceRefresh', true],
  ])(
    'holds capacity at the first look after %s was refused permission, naming the refusal',
    async (state, operation, irreversible) => {
      const world = new RollingUpdateWorld({}, { rollingUpdate: { alarmNames: ['web-5xx'] } });
      world.forwardScript = ['InProgress'];
      world.alarmsInAlarm = ['web-5xx'];
      // The simulation's denial (Auto Scaling's AccessDenied, IAM's wording), under the name Step
      // Functions gives it: not in Auto Scaling's model, so the generic AutoScalingException.
      const injector = new FaultInjector({}, seededRandom(1));
      injector.failMatching((_service, command) => command === `${operation}Command`, { asDenied: true });
      world.sdkOverrides.set(state, async (input) => {
        const denied = (await injector
          .answer('autoscaling', `${operation}Command`, input, async () => ({}))
          .catch((e: unknown) => e)) as Error;
        throw namedError(stepFunctionsErrorName('autoscaling', denied.name), denied.message);
      });
      // Auto Scaling cannot undo the refresh itself: the branch cancels it instead.
      if (irreversible)
        world.sdkOverrides.set('Roll back refresh', async () => {
          throw namedError('AutoScaling.IrreversibleInstanceRefreshException', 'cannot be rolled back');
        });
      let looks = 0;
      world.afterSdkCall.set('Describe refreshes for rollback', () => {
        looks += 1;
        world.nowMs += 15 * 60_000;
      });
      const result = await runRollingUpdate(definition, world, {
        groupName: 'web',
        launchTemplateVersion: '7',
      });
      expect(result).toMatchObject({ ok: false, error: REFRESH_LEFT_RUNNING });
      expect((result as { cause: string }).cause).toContain(
        `refused permission (AutoScaling.AutoScalingException: User: arn:aws:sts::000000000000:assumed-role/injected/denied is not authorized to perform: autoscaling:${operation}`,
      );
      // One look to decide the undo, one after its refusal: no asking again.
      expect(looks).toBe(2);
      expect(world.calls(state).length).toBeGreaterThan(0);
      expect(world.calls('Restore capacity after rollback')).toEqual([]);
      expect(world.published.map((p) => p.Subject)).toEqual([
        'Prescale rolling update left running, capacity held',
      ]);
      expect(String(world.published[0]?.Message)).toContain('(needs attention: true)');
      expect(world.entered.at(-1)).toBe('Left running, capacity held');
      expect(world.lockItem()).toBeUndefined();
    },
  );
});
