import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { extractDefinition, namedError, RollingUpdateWorld, T0 } from './rolling-update-harness';
import { runRollingUpdate } from './rolling-update-run';

/** The synthesized rolling-update state machine, executed on the simulated group's handlers. */
const definition = extractDefinition(
  synthesizedTemplate({
    ...TEST_CONFIG,
    rollingUpdate: { alarmNames: ['web-5xx'], autoStartOnScheduledEvents: true },
  }),
);
const run = (world: RollingUpdateWorld, input: Record<string, unknown>) =>
  runRollingUpdate(definition, world, input);

const request = { groupName: 'web', launchTemplateVersion: '7' };

function newWorld(
  group: ConstructorParameters<typeof RollingUpdateWorld>[0] = {},
  config: ConstructorParameters<typeof RollingUpdateWorld>[1] = {},
) {
  return new RollingUpdateWorld(group, { rollingUpdate: { alarmNames: ['web-5xx'] }, ...config });
}

/** A group with attribute-based instance selection: a refresh cannot carry its desired configuration. */
function attributeBasedWorld() {
  return newWorld({
    launchTemplate: undefined,
    mixedInstances: {
      launchTemplateId: 'lt-0a1b2c3d4e5f60718',
      version: '6',
      overrides: [],
      usesAttributeBasedSelection: true,
    },
  });
}

function expectLockReleased(world: RollingUpdateWorld) {
  expect(world.lockItem()).toBeUndefined();
}

describe('RollingUpdateWorkflow executions', () => {
  it('rolls out: headroom first, refresh with a desired configuration, restore, record, release', async () => {
    const world = newWorld();
    world.load = () => 300;
    const result = await run(world, request);
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'Succeeded', groupName: 'web', targetVersion: '7' },
    });
    expect(world.scalingTarget.updates.map((u) => u.change)).toEqual([
      { minSize: 6, desiredCapacity: 6 },
      { minSize: 2, desiredCapacity: 4 },
    ]);
    expect(world.lastStart).toMatchObject({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0a1b2c3d4e5f60718', Version: '7' } },
      Preferences: {
        MinHealthyPercentage: 90,
        MaxHealthyPercentage: 110,
        AutoRollback: true,
        AlarmSpecification: { Alarms: ['web-5xx'] },
      },
    });
    expect(world.calls('Point group at target version')).toEqual([]);
    expect([...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'))?.status).toEqual({
      S: 'Succeeded',
    });
    expectLockReleased(world);
  });

  it('restores below its own raise under a surge once the surge is over, not as if others had raised it', async () => {
    const world = newWorld();
    let describes = 0;
    // The load doubles on the first look at the refresh and is back by the third.
    world.load = () => (describes >= 1 && describes < 3 ? 600 : 300);
    world.forwardScript = ['InProgress', 'InProgress', 'InProgress', 'Successful'];
    world.afterSdkCall.set('Describe refresh progress', () => {
      describes += 1;
    });
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    const changes = world.scalingTarget.updates.map((u) => u.change);
    expect(changes[0]).toEqual({ minSize: 6, desiredCapacity: 6 });
    expect(changes[1]?.desiredCapacity).toBeGreaterThan(6);
    expect(changes.at(-1)).toEqual({ minSize: 2, desiredCapacity: 4 });
  });

  it('keeps a DesiredCapacity someone else raised above its own raise during the refresh', async () => {
    const world = newWorld({ maxSize: 20 });
    let describes = 0;
    world.load = () => (describes >= 1 && describes < 3 ? 600 : 300);
    world.forwardScript = ['InProgress', 'InProgress', 'InProgress', 'Successful'];
    world.afterSdkCall.set('Describe refresh progress', () => {
      describes += 1;
      // Target tracking scales out past the workflow's raise on the third look.
      if (describes === 3) world.scalingTarget.groups.set('web', { ...world.group, desiredCapacity: 18 });
    });
    await run(world, request);
    expect(world.scalingTarget.updates.at(-1)?.change).toEqual({ minSize: 2, desiredCapacity: 18 });
  });

  it('retries Auto Scaling throttling and contention under the names the SDK integration raises', async () => {
    const world = newWorld();
    world.load = () => 300;
    // Throttling is a common error the Auto Scaling model does not declare: Step Functions raises
    // it as the generic AutoScaling.AutoScalingException; contention keeps its modelled name.
    world.sdkFailures.set('Add headroom', [
      namedError(
        'AutoScaling.AutoScalingException',
        'Rate exceeded (Service: AutoScaling, Status Code: 400, Error Code: Throttling)',
      ),
      namedError('AutoScaling.ResourceContentionException', 'You already have a pending update'),
    ]);
    world.sdkFailures.set('Start instance refresh', [
      namedError(
        'AutoScaling.AutoScalingException',
        'Rate exceeded (Service: AutoScaling, Status Code: 400, Error Code: Throttling)',
      ),
    ]);
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(world.calls('Add headroom')).toHaveLength(3);
    expect(world.calls('Start instance refresh')).toHaveLength(2);
    expect(JSON.stringify(definition)).not.toContain('AutoScaling.ThrottlingException');
  });

  it('rolls back a failed refresh by reverting, restores capacity and fails with the cause', async () => {
    const world = newWorld();
    world.forwardScript = ['InProgress', 'Failed'];
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: false, error: 'RefreshFailed' });
    expect((result as { cause: string }).cause).toContain('instances failed health checks');
    expect((result as { cause: string }).cause).toContain('reverted to version 6');
    expect(world.calls('Start revert refresh')[0]).toMatchObject({
      DesiredConfiguration: { LaunchTemplate: { Version: '6' } },
      Preferences: { SkipMatching: true, AutoRollback: false },
    });
    expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
    expect(world.published.map((p) => p.Subject)).toEqual(['Prescale rolling update rolled back']);
    expect(String(world.published[0]?.Message)).toContain('RefreshFailed');
    expect(world.entered.at(-1)).toBe('Rolled back');
    expectLockReleased(world);
  });

  it('rolls back natively when a watched alarm goes into ALARM', async () => {
    const world = newWorld();
    world.forwardScript = ['InProgress'];
    world.alarmsInAlarm = ['web-5xx'];
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: false, error: 'AlarmTriggered' });
    expect((result as { cause: string }).cause).toContain('Auto Scaling rolled the refresh back');
    expect(world.calls('Roll back refresh')).toHaveLength(1);
    expect(world.calls('Cancel refresh')).toHaveLength(0);
    expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
    expectLockReleased(world);
  });

  it('leaves a refresh whose processes an operator suspended to them: nothing undone, its own end state', async () => {
    const world = newWorld();
    world.forwardScript = ['InProgress'];
    world.afterSdkCall.set('Start instance refresh', () =>
      world.scalingTarget.groups.set('web', { ...world.group, suspendedProcesses: ['InstanceRefresh'] }),
    );
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: false, error: 'ProcessesSuspended' });
    expect((result as { cause: string }).cause).toMatch(
      /Left to operator: processes the refresh needs were suspended during it; the refresh is left as it is to whoever did/,
    );
    expect(world.entered).toContain('Left to operator');
    expect(world.entered).not.toContain('Rolled back');
    for (const undo of ['Roll back refresh', 'Cancel refresh', 'Start revert refresh'])
      expect(world.calls(undo)).toHaveLength(0);
    expect(world.refreshes[0]?.Status).toBe('InProgress');
    // Prescale's own headroom is still given back, and operators hear of it as a hand-over.
    expect(world.group).toMatchObject({ minSize: 2, desiredCapacity: 4 });
    expect(world.published.map((p) => p.Subject)).toEqual(['Prescale rolling update left to operator']);
    expect(String(world.published[0]?.Message)).toContain('(needs attention: true)');
    expect([...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'))?.status).toEqual({
      S: 'LeftToOperator',
    });
    expectLockReleased(world);
  });

  it('catches a decision Lambda that throws and rolls back', async () => {
    const world = newWorld();
    world.forwardScript = ['InProgress'];
    world.lambdaOverrides.set('Check alarms and load', async () => {
      throw namedError('RejectedRequestError', 'CloudWatch DescribeAlarms was rejected: AccessDenied');
    });
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: false, error: 'RejectedRequestError' });
    expect(world.calls('Roll back refresh')).toHaveLength(1);
    expect(world.entered).toContain('Notify operators');
    expectLockReleased(world);
  });

  it('exits without touching anything when a refresh is already in progress', async () => {
    const world = newWorld({ instanceRefreshInProgress: true });
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: false, error: 'RollingUpdateRejected' });
    expect((result as { cause: string }).cause).toContain('already in progress');
    expect(world.sdkCalls).toEqual([]);
    expect(world.scalingTarget.updates).toEqual([]);
    expect(world.items.size).toBe(0);
  });

  it('refuses to update a group while a dependent group is updating', async () => {
    const world = newWorld({}, { dependencies: { edges: [{ from: 'web', to: 'api' }] } });
    await world.stateStore.acquireLock({
      groupName: 'api',
      holder: 'api-v3-20260302T0000',
      acquiredAtMs: world.nowMs,
      expiresAtMs: world.nowMs + 3600_000,
    });
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: false, error: 'RollingUpdateRejected' });
    expect((result as { cause: string }).cause).toContain(
      'dependent group api is being updated by api-v3-20260302T0000',
    );
    expect(world.sdkCalls).toEqual([]);
    expect(world.scalingTarget.updates).toEqual([]);
  });

  it('releases its lock and stops when a dependent group was locked between validation and its lock', async () => {
    const world = newWorld({}, { dependencies: { edges: [{ from: 'web', to: 'api' }] } });
    const validateNow = world.handlers()['Validate request'] as (input: unknown) => Promise<unknown>;
    world.lambdaOverrides.set('Validate request', async (input) => {
      world.lambdaOverrides.delete('Validate request');
      const plan = await validateNow(input);
      // A concurrent update of api takes its lock after this validation read it free.
      await world.stateStore.acquireLock({
        groupName: 'api',
        holder: 'api-v3-20260302T0100',
        acquiredAtMs: world.nowMs,
        expiresAtMs: world.nowMs + 3600_000,
      });
      return plan;
    });
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: false, error: 'DependentGroupUpdating' });
    expect((result as { cause: string }).cause).toContain(
      'dependent group api is being updated by api-v3-20260302T0100',
    );
    expect(world.calls('Acquire group lock')).toHaveLength(1);
    expect(world.calls('Release group lock after conflict')).toHaveLength(1);
    expect(world.scalingTarget.updates).toEqual([]);
    expectLockReleased(world);
  });

  it('refuses $Latest, which cannot be rolled back', async () => {
    const world = newWorld();
    const result = await run(world, { groupName: 'web', launchTemplateVersion: '$Latest' });
    expect(result).toMatchObject({ ok: false, error: 'RollingUpdateRejected' });
    expect(world.sdkCalls).toEqual([]);
  });

  it('refuses a group with instances protected from scale in, which the refresh would wait an hour for, then fail', async () => {
    const world = newWorld({ protectedInstances: 1 });
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: false, error: 'RollingUpdateRejected' });
    expect(world.sdkCalls).toEqual([]);
  });

  it('starts the refresh with ScaleInProtectedInstances where the configuration chooses it', async () => {
    const world = newWorld(
      { protectedInstances: 1 },
      { rollingUpdate: { alarmNames: ['web-5xx'], scaleInProtectedInstances: 'Ignore' } },
    );
    world.load = () => 300;
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(world.lastStart).toMatchObject({ Preferences: { ScaleInProtectedInstances: 'Ignore' } });
  });

  it('waits while the predicted peak falls inside the refresh, then proceeds', async () => {
    const world = newWorld();
    const peakEndsMs = T0 + 2 * 3_600_000;
    world.load = (t) => (t < peakEndsMs ? 600 : 120);
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(world.entered.filter((s) => s === 'Wait for low load').length).toBeGreaterThanOrEqual(1);
    expect(world.nowMs).toBeGreaterThanOrEqual(peakEndsMs);
    expectLockReleased(world);
  });

  it('records when the rollout started and ended as the times those states were entered, not the execution start', async () => {
    const world = newWorld();
    const peakEndsMs = T0 + 2 * 3_600_000;
    world.load = (t) => (t < peakEndsMs ? 600 : 120);
    await expect(run(world, request)).resolves.toMatchObject({ ok: true });
    // $$.State.EnteredTime, read as "Record rollout start" and "Record outcome" are entered.
    const [start] = world.calls('Record rollout start') as { Item: { startedAt: { S: string } } }[];
    expect(Date.parse(String(start?.Item.startedAt.S))).toBeGreaterThanOrEqual(peakEndsMs);
    const rollout = [...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'));
    expect(rollout?.endedAt).toEqual({ S: new Date(world.nowMs).toISOString() });
  });

  it('ends as Deferred when the deadline has passed, holding no lock', async () => {
    const world = newWorld();
    world.load = () => 600;
    const result = await run(world, { ...request, deadline: new Date(T0 - 60_000).toISOString() });
    expect(result.ok).toBe(true);
    const output = (result as { output: Record<string, unknown> }).output;
    expect(Object.keys(output).sort()).toEqual(['reason', 'status']);
    expect(output.status).toBe('Deferred');
    expect(String(output.reason)).toContain('deadline');
    expect(world.scalingTarget.updates).toEqual([]);
    expect(world.calls('Acquire group lock')).toEqual([]);
    // An operator's request deferred is theirs to see in its output: nothing is published.
    expect(world.published).toEqual([]);
    expectLockReleased(world);
  });

  it("notifies the topic when the scan's refresh ahead of EC2 scheduled events is deferred, then ends Deferred", async () => {
    const world = newWorld(
      {},
      { rollingUpdate: { alarmNames: ['web-5xx'], autoStartOnScheduledEvents: true } },
    );
    world.load = () => 600;
    const deadline = new Date(T0 - 60_000).toISOString();
    const result = await run(world, {
      groupName: 'web',
      launchTemplateVersion: '6',
      reason: 'scheduled-maintenance',
      deadline,
    });
    expect(result).toMatchObject({ ok: true, output: { status: 'Deferred' } });
    expect(world.published).toEqual([
      {
        TopicArn: expect.any(String),
        Subject: 'Prescale scheduled-maintenance refresh deferred',
        Message: expect.stringMatching(
          new RegExp(
            `^Rolling update .+ of Auto Scaling group web to launch template version 6, started ahead of EC2 scheduled events .*deferred.*: deadline ${deadline} passed before a low-load window was found.*\\. The next daily scan asks again before the latest start of the refresh and starts it at once, whatever the load`,
          ),
        ),
      },
    ]);
    expect(world.refreshes).toEqual([]);
    expect([...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'))?.status).toEqual({
      S: 'Deferred',
    });
  });

  it("ends Deferred, recorded, when the deferred scan refresh's notice cannot be published", async () => {
    const world = newWorld(
      {},
      { rollingUpdate: { alarmNames: ['web-5xx'], autoStartOnScheduledEvents: true } },
    );
    world.load = () => 600;
    world.sdkFailures.set('Notify deferred maintenance', [
      namedError('SNS.AuthorizationErrorException', 'denied'),
    ]);
    const result = await run(world, {
      groupName: 'web',
      launchTemplateVersion: '6',
      reason: 'scheduled-maintenance',
      deadline: new Date(T0 - 60_000).toISOString(),
    });
    expect(result).toMatchObject({ ok: true, output: { status: 'Deferred' } });
    expect(world.calls('Notify deferred maintenance')).toHaveLength(1);
    expect([...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'))?.status).toEqual({
      S: 'Deferred',
    });
  });

  describe('when a hold is set while it waits for low load', () => {
    const peakEndsMs = T0 + 2 * 3_600_000;
    /** After the first "Choose update window" (a wait at the peak), `hold` acts on the world. */
    function holdDuringWait(world: RollingUpdateWorld, hold: () => void) {
      world.load = (t) => (t < peakEndsMs ? 600 : 120);
      const chooseNow = world.handlers()['Choose update window'] as (input: unknown) => Promise<unknown>;
      world.lambdaOverrides.set('Choose update window', async (input) => {
        world.lambdaOverrides.delete('Choose update window');
        const window = await chooseNow(input);
        hold();
        return window;
      });
    }

    it.each([
      [
        'the pause tag',
        (w: RollingUpdateWorld) =>
          w.scalingTarget.groups.set('web', { ...w.group, tags: { 'prescale:paused': 'true' } }),
        'group web is paused by its prescale:paused tag',
      ],
      [
        "an operator's instance refresh",
        (w: RollingUpdateWorld) =>
          w.scalingTarget.groups.set('web', { ...w.group, instanceRefreshInProgress: true }),
        'an instance refresh is already in progress on web',
      ],
      [
        'the kill switch',
        (w: RollingUpdateWorld) => {
          w.killSwitchOn = true;
        },
        'kill switch',
      ],
    ])(
      'ends as Deferred on %s, before the lock, the headroom and the refresh',
      async (_hold, hold, reason) => {
        const world = newWorld();
        holdDuringWait(world, () => hold(world));
        const result = await run(world, request);
        expect(result).toMatchObject({ ok: true, output: { status: 'Deferred' } });
        const output = (result as { output: Record<string, unknown> }).output as { reason: string };
        expect(output.reason).toMatch(/^held: /);
        expect(output.reason).toContain(reason);
        expect(world.entered).toContain('Wait for low load');
        expect(world.calls('Acquire group lock')).toEqual([]);
        expect(world.scalingTarget.updates).toEqual([]);
        expect(world.refreshes).toEqual([]);
        expect([...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'))?.status).toEqual({
          S: 'Deferred',
        });
        expectLockReleased(world);
      },
    );
  });

  it('stops when another execution holds the group lock, and leaves that lock alone', async () => {
    const world = newWorld();
    const other = {
      pk: { S: 'GROUP#web' },
      sk: { S: 'LOCK' },
      holder: { S: 'web-v8-20260302T0000' },
      acquiredAtMs: { N: String(T0 - 60_000) },
      expiresAtMs: { N: String(T0 + 3_600_000) },
    };
    world.items.set('GROUP#web|LOCK', other);
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: false, error: 'GroupLocked' });
    expect(world.lockItem()).toEqual(other);
    expect(world.scalingTarget.updates).toEqual([]);
  });

  it('uses the fallback for attribute-based groups: points the group, and reverts by version', async () => {
    const world = attributeBasedWorld();
    world.forwardScript = ['InProgress'];
    world.alarmsInAlarm = ['web-5xx'];
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: false, error: 'AlarmTriggered' });
    expect(world.calls('Point group at target version')[0]).toMatchObject({
      MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { Version: '7' } } },
    });
    expect(world.calls('Start instance refresh without desired configuration')[0]).not.toHaveProperty(
      'DesiredConfiguration',
    );
    expect(world.calls('Cancel refresh')).toHaveLength(1);
    expect(world.calls('Point group back at previous version')[0]).toMatchObject({
      MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { Version: '6' } } },
    });
    expect(world.calls('Start revert refresh without desired configuration')).toHaveLength(1);
    expectLockReleased(world);
  });

  it("points a fallback group back when its refresh never started (an operator's refresh was running)", async () => {
    const world = attributeBasedWorld();
    // An operator's refresh (no desired configuration, so AWS lets the group be pointed) starts
    // between the Point step and Prescale's start.
    world.afterSdkCall.set('Point group at target version', () => {
      world.refreshes.unshift({ InstanceRefreshId: 'operators', Status: 'InProgress' });
    });
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: false, error: 'AutoScaling.InstanceRefreshInProgressException' });
    expect((result as { cause: string }).cause).toContain(
      'no instance refresh had started; the group points at version 6 again',
    );
    expect(world.calls('Point group back, no refresh started')).toEqual([
      expect.objectContaining({
        MixedInstancesPolicy: {
          LaunchTemplate: { LaunchTemplateSpecification: expect.objectContaining({ Version: '6' }) },
        },
      }),
    ]);
    // The operator's refresh is theirs: nothing cancelled, no revert refresh.
    for (const undo of [
      'Cancel refresh',
      'Roll back refresh',
      'Start revert refresh without desired configuration',
    ])
      expect(world.calls(undo)).toHaveLength(0);
    expect(world.refreshes[0]).toMatchObject({ InstanceRefreshId: 'operators', Status: 'InProgress' });
    expect(world.entered.at(-1)).toBe('Rolled back');
    expectLockReleased(world);
  });

  it('points a fallback group back when pointing it at the target took effect but answered an error on every attempt', async () => {
    const world = attributeBasedWorld();
    // Each attempt lands (the group now launches version 7), then answers an InternalFailure.
    world.sdkFailuresAfterEffect.set(
      'Point group at target version',
      Array.from({ length: 10 }, () =>
        namedError('AutoScaling.AutoScalingException', 'We encountered an internal error.'),
      ),
    );
    const result = await run(world, request);
    expect(result).toMatchObject({ ok: false, error: 'AutoScaling.AutoScalingException' });
    expect(world.calls('Start instance refresh without desired configuration')).toHaveLength(0);
    expect((result as { cause: string }).cause).toContain(
      'no instance refresh had started; the group points at version 6 again',
    );
    expect(world.calls('Point group back, no refresh started')).toEqual([
      expect.objectContaining({
        MixedInstancesPolicy: {
          LaunchTemplate: { LaunchTemplateSpecification: expect.objectContaining({ Version: '6' }) },
        },
      }),
    ]);
    expectLockReleased(world);
  });
});
