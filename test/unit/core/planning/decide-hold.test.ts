import { decideHold, type HoldFacts, leavesLookAhead } from '../../../../shared/core/planning/decide-hold';

const facts = (o: Partial<HoldFacts> = {}): HoldFacts => ({
  deployment: 'Prescale',
  mode: 'forecast-and-scale',
  dryRun: false,
  globallyPaused: false,
  instanceRefreshInProgress: false,
  suspendedProcesses: [],
  ...o,
});

describe('decideHold', () => {
  it.each([
    [{}, 'proceed', undefined],
    [{ globallyPaused: true }, 'hold', 'kill switch'],
    [{ managedBy: 'Prescale' }, 'proceed', undefined],
    [{ managedBy: 'PrescaleStaging' }, 'hold', 'managed by Prescale deployment "PrescaleStaging"'],
    [{ managedBy: 'PrescaleStaging', dryRun: true }, 'hold', 'not "Prescale"'],
    [{ managedBy: 'PrescaleStaging', pausedTagValue: 'true' }, 'hold', 'managed by Prescale deployment'],
    [{ managedBy: 'PrescaleStaging', globallyPaused: true }, 'hold', 'kill switch'],
    [{ pausedTagValue: 'true' }, 'hold', 'paused by tag'],
    [{ pausedTagValue: 'false' }, 'proceed', undefined],
    [{ lockHolder: 'rolling-update web v7' }, 'hold', 'held by rolling-update web v7'],
    [{ instanceRefreshInProgress: true }, 'hold', 'instance refresh'],
    [{ suspendedProcesses: ['Launch', 'AZRebalance'] }, 'hold', 'Launch'],
    [{ suspendedProcesses: ['AZRebalance'] }, 'proceed', undefined],
    [{ predictiveScalingPolicy: 'cpu40' }, 'hold', 'EC2 predictive scaling policy "cpu40" scales the group'],
    [
      { predictiveScalingPolicy: 'cpu40', mode: 'forecast-only' as const },
      'hold',
      'set its mode to ForecastOnly',
    ],
    [{ predictiveScalingPolicy: 'cpu40', suspendedProcesses: ['Launch'] }, 'hold', 'processes suspended'],
    [{ mode: 'forecast-only' as const }, 'hold', 'forecast-only'],
    [{ dryRun: true }, 'dry-run', 'dry run'],
  ])('%j → %s', (o, kind, reason) => {
    const decision = decideHold(facts(o));
    expect(decision.kind).toBe(kind);
    if (reason) expect('reason' in decision && decision.reason).toContain(reason);
  });

  it.each([
    [{ globallyPaused: true }, true],
    [{ pausedTagValue: 'true' }, true],
    [{ mode: 'forecast-only' as const }, true],
    [{ predictiveScalingPolicy: 'cpu40' }, true],
    [{ dryRun: true }, true],
    [{ lockHolder: 'rolling-update web v7' }, false],
    [{ instanceRefreshInProgress: true }, false],
    [{ suspendedProcesses: ['Terminate'] }, false],
    [{ globallyPaused: true, lockHolder: 'rolling-update web v7' }, false],
    [{ pausedTagValue: 'true', instanceRefreshInProgress: true }, false],
    [{ mode: 'forecast-only' as const, suspendedProcesses: ['Launch'] }, false],
  ])("%j keeps the look-ahead's give-back: %s", (o, keeps) => {
    expect(decideHold(facts(o))).toMatchObject({ keepsGiveBack: keeps });
  });

  it.each([
    [{ lockHolder: 'rolling-update web v7' }, true],
    [{ instanceRefreshInProgress: true }, true],
    [{ lockHolder: 'rolling-update web v7', instanceRefreshInProgress: true }, true],
    [{ lockHolder: 'rolling-update web v7', mode: 'forecast-only' as const }, false],
    [{ instanceRefreshInProgress: true, suspendedProcesses: ['Launch'] }, false],
    [{ instanceRefreshInProgress: true, predictiveScalingPolicy: 'cpu40' }, false],
    [{ lockHolder: 'rolling-update web v7', dryRun: true }, false],
    [{ pausedTagValue: 'true', instanceRefreshInProgress: true }, false],
    [{ globallyPaused: true, lockHolder: 'rolling-update web v7' }, false],
    [{ suspendedProcesses: ['Terminate'] }, false],
  ])('%j lifts by itself: %s', (o, lifts) => {
    const decision = decideHold(facts(o));
    expect(decision.kind).toBe('hold');
    expect(decision.kind === 'hold' && decision.liftsByItself === true).toBe(lifts);
  });

  it.each([
    [{ lockHolder: 'rolling-update web v7' }, 'rolling-update web v7'],
    [{ lockHolder: 'rolling-update web v7', suspendedProcesses: ['Launch'] }, 'rolling-update web v7'],
    [{ globallyPaused: true, lockHolder: 'rolling-update web v7' }, undefined],
    [{ pausedTagValue: 'true', lockHolder: 'rolling-update web v7' }, undefined],
    [{ instanceRefreshInProgress: true }, undefined],
  ])('%j names the lock holder when its lock is what holds the group: %s', (o, holder) => {
    const decision = decideHold(facts(o));
    expect(decision.kind === 'hold' ? decision.lockHolder : 'not held').toBe(holder);
  });

  it('holds a group Auto Scaling is deleting before anything else, leaving its look-ahead', () => {
    for (const o of [{}, { globallyPaused: true }, { managedBy: 'PrescaleStaging' }, { dryRun: true }]) {
      const decision = decideHold(facts({ ...o, deleting: true }));
      expect(decision).toMatchObject({ kind: 'hold', deleting: true });
      expect('reason' in decision && decision.reason).toMatch(/^group is being deleted/);
      expect(leavesLookAhead(decision)).toBe(true);
    }
    expect(leavesLookAhead(decideHold(facts({ pausedTagValue: 'true' })))).toBe(false);
    expect(leavesLookAhead(decideHold(facts({ managedBy: 'PrescaleStaging' })))).toBe(true);
  });

  it('names another deployment managing the group under the kill switch too, so its look-ahead stays', () => {
    expect(decideHold(facts({ managedBy: 'PrescaleStaging', globallyPaused: true }))).toMatchObject({
      kind: 'hold',
      otherDeployment: 'PrescaleStaging',
    });
    expect(decideHold(facts({ managedBy: 'Prescale', globallyPaused: true }))).not.toHaveProperty(
      'otherDeployment',
    );
  });
});
