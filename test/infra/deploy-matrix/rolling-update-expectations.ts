import { groupInstanceRole } from '../../../shared/simulation/aws-checks/group-launch-template';
import { EXECUTION_NAME } from '../rolling-update-harness';
import type { DeployConfiguration, SynthesizedConfiguration } from './deploy-configurations';
import type { ConfigurationRun } from './run-configuration';

/** How a registrar reads the configuration's run once its `beforeAll` made it. */
type CurrentRun = () => { readonly run?: ConfigurationRun; readonly synthesized?: SynthesizedConfiguration };

/** In a dry run, every rolling update and update plan is refused before a group is touched. */
export function itRefusesUpdatesInADryRun(configuration: DeployConfiguration, current: CurrentRun): void {
  if (configuration.config.dryRun)
    it('changes nothing in a dry run: every rolling update and plan is refused before a group is touched', () => {
      const r = current().run as ConfigurationRun;
      for (const u of r.rollingUpdates) {
        expect(u.outcome).toMatch(/^failed: RollingUpdateRejected: dry run/);
        expect(u.lambdaTasks).toEqual(['Validate request → validate-rolling-update']);
        expect([...u.authorized].filter((a) => !a.startsWith('Validate request:'))).toEqual([]);
        expect(u.group.refreshes).toEqual([]);
      }
      expect(r.updatePlans.map((p) => p.outcome.split(':').slice(0, 2).join(':'))).toEqual([
        'failed: UpdatePlanRefused',
        'failed: UpdatePlanRefused',
      ]);
      expect(r.updatePlans.flatMap((p) => p.children)).toEqual([]);
    });
}

/**
 * The deploy matrix's expectations of a configuration's rolling updates on the simulated world,
 * registered inside its `describe` (`current` reads its run): the rollout succeeds, its native
 * rollback and its revert undo a failed refresh (the runs past their deadline, the contended and
 * the paused one: `itUndoesOverrunsAndLeavesOthersAlone`; notifications and records:
 * `itTellsOperatorsAndRecordsRuns`).
 */
export function itUndoesFailedUpdates(configuration: DeployConfiguration, current: CurrentRun): void {
  const dryRun = configuration.config.dryRun === true;
  if (!dryRun)
    it('rolls out, and undoes a failed refresh (natively, or by a revert), with every Task call allowed and well-formed', () => {
      const r = current().run as ConfigurationRun;
      expect(
        r.rollingUpdates.map((u) => [u.kind, u.outcome.split(':')[0], u.refusals, u.raised, u.staged.length]),
      ).toEqual([
        ['rollout', 'succeeded', [], [], 0],
        ['rollback', 'failed', [], [], 0],
        ['overrun', 'failed', [], [], 0],
        ['revert', 'failed', [], [], 0],
        ['overrun-cancel', 'failed', [], [], 0],
        // Its start meets the operator's refresh: the one service error a run stages.
        ['contended', 'failed', [], [], 1],
        ['paused', 'failed', [], [], 0],
        ['paused-midway', 'failed', [], [], 0],
      ]);
      // A watched alarm goes off, or the new version's instances fail their health checks; the
      // plan lets Auto Scaling roll back, unless the version to return to takes its AMI from SSM.
      const watched = configuration.config.rollingUpdate?.alarmNames?.[0];
      const [, rollback, , revert] = r.rollingUpdates;
      expect(rollback?.outcome).toMatch(
        watched
          ? new RegExp(`^failed: \\w+: .*${watched}.* in ALARM`)
          : /^failed: RefreshRolledBack: .*failed to become healthy/,
      );
      expect(revert?.outcome).toMatch(/^failed: RefreshFailed: .*failed to become healthy/);
      // The watched alarm was checked to exist and read during the refresh, each as its function's role.
      if (watched)
        expect(
          r.decisions
            .filter((d) => d.action === 'cloudwatch:DescribeAlarms' && d.allowed)
            .map((d) => d.principal)
            .sort(),
        ).toEqual(['validate-rolling-update', 'watch-refresh-progress']);
    });
}

/** Operators hear of each undone update; each run's outcome and lock went to the state table. */
export function itTellsOperatorsAndRecordsRuns(
  configuration: DeployConfiguration,
  current: CurrentRun,
): void {
  if (!configuration.config.dryRun)
    it('tells operators of each undone update and records every run in the state table', () => {
      const r = current().run as ConfigurationRun;
      // Operators hear of each undone update, on the deployment's topic (the world's SNS), and of
      // the one left to them (paused midway) as such.
      expect(r.rollingUpdates.map((u) => u.notified.length)).toEqual([0, 1, 1, 1, 1, 1, 0, 1]);
      const undone = ['rollback', 'overrun', 'revert', 'overrun-cancel', 'contended'];
      for (const u of r.rollingUpdates.filter((u) => undone.includes(u.kind)))
        expect(u?.notified[0]).toMatch(
          new RegExp(
            `^Prescale rolling update rolled back: Rolling update .* of Auto Scaling group ${u?.groupName} to launch template version ${u?.version} did not complete`,
          ),
        );
      // Its lock and records went to the state table the functions read (dynalite): each run
      // recorded its outcome and released the lock, so the next could take it.
      expect(r.rollingUpdates.map((u) => u.stateTable)).toEqual([
        { recordedStatus: 'Succeeded', lockHeld: false },
        { recordedStatus: 'RolledBack', lockHeld: false },
        { recordedStatus: 'RolledBack', lockHeld: false },
        { recordedStatus: 'RolledBack', lockHeld: false },
        { recordedStatus: 'RolledBack', lockHeld: false },
        { recordedStatus: 'RolledBack', lockHeld: false },
        // Refused before it took the lock: nothing to record.
        { lockHeld: false },
        { recordedStatus: 'LeftToOperator', lockHeld: false },
      ]);
    });
}

/**
 * Prescale's own undo steps on the world: a refresh past the request's deadline rolled back by
 * Prescale where Auto Scaling can undo it, else cancelled (then reverted); a start that meets an
 * operator's refresh undoes only Prescale's headroom; a group whose refreshes an operator
 * suspended is not touched, and a refresh they suspend once it started is left to them.
 */
export function itUndoesOverrunsAndLeavesOthersAlone(
  configuration: DeployConfiguration,
  current: CurrentRun,
): void {
  if (configuration.config.dryRun) return;
  it("rolls back or cancels a refresh past its deadline itself, and never touches an operator's refresh or a group they paused", () => {
    const [, , overrun, , overrunCancel, contended, paused, pausedMidway] = (
      current().run as ConfigurationRun
    ).rollingUpdates;
    // Past the request's deadline Prescale undoes the refresh itself: its own rollback where Auto
    // Scaling can undo it, else its cancel (then a revert); AWS refuses the rollback otherwise.
    for (const u of [overrun, overrunCancel])
      expect(u?.outcome).toMatch(
        /^failed: RefreshDeadlinePassed: the refresh is still InProgress at \d+% after its deadline/,
      );
    const undoCalls = (u: typeof overrun) =>
      [...(u?.authorized ?? [])].filter((a) => /^(Roll back|Cancel) refresh:/.test(a));
    expect([overrun, overrunCancel, contended, pausedMidway].map(undoCalls)).toEqual([
      ['Roll back refresh: autoscaling:RollbackInstanceRefresh'],
      ['Cancel refresh: autoscaling:CancelInstanceRefresh'],
      [],
      [],
    ]);
    // An operator's refresh started between Prescale's checks and its start: Prescale's start
    // meets it, and its rollback undoes only its own headroom, never touching their refresh.
    expect(contended?.outcome).toMatch(
      /^failed: AutoScaling\.InstanceRefreshInProgressException: .* Rollback: no instance refresh had started; nothing to undo$/,
    );
    expect(contended?.resized.map((r) => r.split(':')[0])).toEqual([
      'Add headroom',
      'Restore capacity after rollback',
    ]);
    // An operator suspended the group's InstanceRefresh process: refused before anything is touched.
    expect(paused?.outcome).toBe(
      `failed: RollingUpdateRejected: processes suspended on ${paused?.groupName}: InstanceRefresh; an instance refresh would replace no instance until they are resumed; nothing was changed`,
    );
    expect([paused?.lambdaTasks, paused?.resized, [...(paused?.authorized ?? [])]]).toEqual([
      ['Validate request → validate-rolling-update'],
      [],
      ['Validate request: lambda:InvokeFunction'],
    ]);
    // An operator suspended it once Prescale's refresh started: Prescale leaves the refresh to them
    // as it is (no rollback, no cancel), restores its own headroom and says so.
    expect(pausedMidway?.outcome).toMatch(
      /^failed: ProcessesSuspended: InstanceRefresh suspended on the group during the refresh \(InProgress at \d+%\): .* Left to operator: .*the refresh is left as it is to whoever did, to resume or undo$/,
    );
    expect(pausedMidway?.resized.map((r) => r.split(':')[0])).toEqual([
      'Add headroom',
      'Restore capacity after rollback',
    ]);
    expect(pausedMidway?.notified[0]).toMatch(
      /^Prescale rolling update left to operator: Rolling update .* did not complete\. Error: ProcessesSuspended\. .*\(needs attention: true\)\.$/,
    );
  });
}

/**
 * Instances replaced on the world: by the rollout, back after a rollback or a revert, untouched
 * where Prescale refused or met an operator's refresh.
 */
export function itReplacesInstancesOnTheWorld(configuration: DeployConfiguration, current: CurrentRun): void {
  const dryRun = configuration.config.dryRun === true;
  if (!dryRun)
    it("replaces the world group's instances as time passes: all on the new version, or back on the old one after a rollback or a revert", () => {
      const [rollout, rollback, overrun, revert, overrunCancel, contended, paused, pausedMidway] = (
        current().run as ConfigurationRun
      ).rollingUpdates;
      expect(rollback?.endsOn).toBe(rollout?.version);
      // Newest refresh first (a selector's refresh may precede the rollout's).
      expect(
        [rollout, rollback, overrun, revert, overrunCancel, contended, paused, pausedMidway].map((u, i) => [
          u?.kind,
          u?.group.refreshes.slice(0, i === 0 ? 1 : 2),
          u?.group.versions,
        ]),
      ).toEqual([
        ['rollout', ['Successful'], [rollout?.version]],
        ['rollback', ['RollbackSuccessful', 'Successful'], [rollout?.version]],
        // Rolled back by Prescale's RollbackInstanceRefresh (the version before is numbered, its AMI an ID).
        ['overrun', ['RollbackSuccessful', 'RollbackSuccessful'], [rollout?.version]],
        // The failed refresh cancelled or failed, then Prescale's revert refresh to the previous version.
        ['revert', ['Successful', expect.stringMatching(/^(Failed|Cancelled)$/)], [revert?.endsOn]],
        // Cancelled by Prescale (the version before takes its AMI from SSM), then reverted to it.
        ['overrun-cancel', ['Successful', 'Cancelled'], [overrunCancel?.endsOn]],
        // The operator's refresh, untouched by Prescale, after the revert's.
        ['contended', ['Pending', 'Successful'], [contended?.endsOn]],
        // No refresh of its own: the operator's, cancelled by them, is still the newest.
        ['paused', ['Cancelled', 'Successful'], [paused?.endsOn]],
        // Its refresh left standing (InProgress) when the run ended, for the operator to decide.
        ['paused-midway', ['InProgress', 'Cancelled'], [pausedMidway?.endsOn]],
      ]);
      expect(paused?.group.refreshes.length).toBe(contended?.group.refreshes.length);
      // Its Waits took the world's time (the refresh progressed on the simulated clock, not the machine's).
      for (const u of [rollout, rollback, revert, overrun, overrunCancel])
        expect(u?.minutes).toBeGreaterThanOrEqual(u?.waited.length ?? 1);
    });
}

/** The rolling updates the selector and the maintenance scan start, run to their end on the world. */
export function itRunsStartedUpdatesOnTheWorld(
  configuration: DeployConfiguration,
  current: CurrentRun,
): void {
  if (
    configuration.config.pricing?.apply &&
    configuration.config.rollingUpdate?.autoStartOnInstanceTypeChange
  )
    it('rolls the cheaper instance type the selector applied out to every instance of the group, on the world', () => {
      const started = (current().run as ConfigurationRun).startedUpdates;
      expect(started.length).toBeGreaterThan(0);
      for (const u of started) {
        expect([u.outcome, u.problems]).toEqual(['succeeded', []]);
        expect(u.versionType).toBeDefined();
        expect([u.group.refreshes[0], u.group.versions, u.group.types]).toEqual([
          'Successful',
          [u.version],
          [u.versionType],
        ]);
      }
    });

  if (configuration.config.rollingUpdate?.autoStartOnScheduledEvents)
    it('replaces an instance EC2 will retire through the rolling update the maintenance scan starts, on the world', () => {
      const r = current().run as ConfigurationRun;
      const scanned = r.startedUpdates.filter((u) => u.reason === 'scheduled-maintenance');
      expect(scanned.map((u) => [u.outcome, u.problems])).toEqual([['succeeded', []]]);
      expect(r.retiring).toEqual({ instanceId: expect.any(String), inServiceAfterUpdates: false });
    });
}

/** The loop held by the update's lock, and the refresh checked as Auto Scaling checks a launch. */
export function itHoldsTheLoopAndChecksLaunches(
  configuration: DeployConfiguration,
  current: CurrentRun,
): void {
  const dryRun = configuration.config.dryRun === true;
  if (!dryRun)
    it('keeps the scaling loop off the group while the update holds it, and lets it back after', () => {
      for (const u of (current().run as ConfigurationRun).rollingUpdates) {
        // The contended and paused runs end before the loop's next tick (without a Wait, or after one poll).
        if (!['contended', 'paused', 'paused-midway'].includes(u.kind))
          expect(u.loopDuring.length).toBeGreaterThan(0);
        // The first held run also deletes the look-ahead earlier runs left, and says how many:
        // those due after the refresh deadline, "Plan headroom" having deleted the rest.
        const heldByUpdate = new RegExp(
          `^held: group is held by ${EXECUTION_NAME}(; deleted [1-9][0-9]* look-ahead actions? of earlier runs)?$`,
        );
        expect(u.loopDuring.filter((o) => !heldByUpdate.test(o))).toEqual([]);
        expect(u.loopAfter.length).toBeGreaterThan(0);
        expect(u.loopAfter.filter((o) => o.includes('held by'))).toEqual([]);
      }
    });

  if (!dryRun)
    it("has the refresh's template version checked as Auto Scaling checks a launch: from the template, tags on launch, its instance role passed", () => {
      const [rollout] = (current().run as ConfigurationRun).rollingUpdates;
      // The rollout's group is enrolled: by name, or by the enrolment tag it then carries.
      const enrolment = current().synthesized?.enrolment;
      const tag = enrolment?.groups.tag;
      const role = groupInstanceRole(
        rollout?.groupName ?? '',
        tag ? { [tag.key]: tag.value } : {},
        enrolment,
      );
      const launch = ['ec2:RunInstances', 'ec2:CreateTags', ...(role ? ['iam:PassRole'] : [])];
      expect([...(rollout?.authorized ?? [])].filter((a) => a.startsWith('Start instance refresh:'))).toEqual(
        [
          'Start instance refresh: autoscaling:StartInstanceRefresh',
          ...launch.map((action) => `Start instance refresh: ${action}`),
        ],
      );
    });
}

/**
 * The rollout's load doubles for a while once its refresh started (`prepareRun`): the group gets
 * the capacity during the refresh, raised by Prescale's watch where the loop owns the floor, and
 * the refresh still succeeds. Where the group's own target tracking scales it (`forecastFloor`
 * off), whichever of the two is first gives the capacity: the watch raises only while the policy
 * has not caught up, which the world's timing decides.
 */
export function itRaisesHeadroomUnderASurge(configuration: DeployConfiguration, current: CurrentRun): void {
  if (configuration.config.dryRun) return;
  const ownPolicyScales = configuration.config.defaults?.forecastFloor === false;
  it(
    ownPolicyScales
      ? 'gives the group capacity when the load surges during a refresh, from its own target tracking or the watch, and the refresh still succeeds'
      : 'raises the headroom when the load surges during a refresh, on the world, and the refresh still succeeds',
    () => {
      const [rollout] = (current().run as ConfigurationRun).rollingUpdates;
      const added = rollout?.resized.find((r) => r.startsWith('Add headroom:')) ?? '';
      const addedDesired = Number(/desired (\d+)/.exec(added)?.[1]);
      expect(addedDesired).toBeGreaterThan(0);
      expect(rollout?.outcome).toBe('succeeded');
      expect(rollout?.peakDesired).toBeGreaterThan(addedDesired);
      const raised = (rollout?.resized ?? [])
        .filter((r) => r.startsWith('Raise headroom:'))
        .map((r) => Number(/desired (\d+)/.exec(r)?.[1]));
      if (!ownPolicyScales) expect(raised.length).toBeGreaterThan(0);
      // Each raise goes higher, never above MaxSize.
      expect(raised).toEqual([...raised].sort((a, b) => a - b));
      expect(Math.max(...raised, 0)).toBeLessThanOrEqual(
        Number(/max (\d+)/.exec(rollout?.sizesBefore ?? '')?.[1]),
      );
      if (raised.length > 0) expect(raised[0]).toBeGreaterThan(addedDesired);
    },
  );
}
