import {
  type ExpectedStart,
  ownStartedRefresh,
  ownStartedRevert,
  type StartedRefresh,
} from '../../../../shared/core/rolling-update/own-started-refresh';

const prefs = {
  MinHealthyPercentage: 90,
  MaxHealthyPercentage: 110,
  InstanceWarmup: 300,
  SkipMatching: false,
  AutoRollback: true,
  AlarmSpecification: { Alarms: ['a', 'b'] },
};
const expected: ExpectedStart = {
  notBeforeMs: 10_000,
  launchTemplate: { id: 'lt-1', version: '7' },
  targetVersion: '7',
  preferences: prefs,
};
const own: StartedRefresh = {
  id: 'r-own',
  startedAtMs: 12_000,
  launchTemplate: { id: 'lt-1', version: '7' },
  // Auto Scaling reports the preferences with its defaults filled in, alarms in its own order.
  preferences: { ...prefs, AlarmSpecification: { Alarms: ['b', 'a'] }, StandbyInstances: 'Ignore' },
};

describe('ownStartedRefresh', () => {
  it('finds the refresh started after the lock with the configuration and preferences asked for', () => {
    expect(ownStartedRefresh([own], expected)).toBe('r-own');
  });

  it('takes the newest when several match', () => {
    expect(ownStartedRefresh([own, { ...own, id: 'r-later', startedAtMs: 13_000 }], expected)).toBe(
      'r-later',
    );
  });

  it.each([
    ['started before the lock', { startedAtMs: 9_999 }],
    ['no start time reported', { startedAtMs: undefined }],
    ['another version', { launchTemplate: { id: 'lt-1', version: '8' } }],
    ['another template', { launchTemplate: { id: 'lt-2', version: '7' } }],
    ['no desired configuration', { launchTemplate: undefined }],
    ['another min healthy percentage', { preferences: { ...prefs, MinHealthyPercentage: 50 } }],
    ['other alarms', { preferences: { ...prefs, AlarmSpecification: { Alarms: ['a'] } } }],
  ] as const)('is not one %s', (_what, change) => {
    expect(ownStartedRefresh([{ ...own, ...change } as StartedRefresh], expected)).toBeUndefined();
  });

  it('on the fallback path takes a refresh with no desired configuration, or the target version', () => {
    const fallback = { ...expected, launchTemplate: undefined };
    const bare: StartedRefresh = { id: 'bare', startedAtMs: 12_000, preferences: prefs };
    expect(ownStartedRefresh([bare], fallback)).toBe('bare');
    expect(ownStartedRefresh([{ ...bare, launchTemplate: { id: 'lt-1', version: '7' } }], fallback)).toBe(
      'bare',
    );
    expect(
      ownStartedRefresh([{ ...bare, launchTemplate: { id: 'lt-1', version: '6' } }], fallback),
    ).toBeUndefined();
  });
});

describe('ownStartedRevert', () => {
  const revertPrefs = { ...prefs, SkipMatching: true, AutoRollback: false };
  const asked: ExpectedStart = {
    notBeforeMs: 10_000,
    launchTemplate: { id: 'lt-1', version: '6' },
    targetVersion: '6',
    preferences: revertPrefs,
  };
  const forward: StartedRefresh = { ...own, id: 'r-forward', startedAtMs: 20_000 };
  const revert: StartedRefresh = {
    id: 'r-revert',
    startedAtMs: 30_000,
    launchTemplate: { id: 'lt-1', version: '6' },
    preferences: revertPrefs,
  };

  it('finds the revert back to the previous version started after the forward refresh', () => {
    expect(ownStartedRevert([revert, forward], 'r-forward', asked)).toBe('r-revert');
  });

  it.each([
    ['started before the forward refresh', { startedAtMs: 19_000 }],
    ['to another version', { launchTemplate: { id: 'lt-1', version: '7' } }],
    ['with the forward preferences', { preferences: prefs }],
  ] as const)('is not one %s', (_what, change) => {
    expect(ownStartedRevert([{ ...revert, ...change }, forward], 'r-forward', asked)).toBeUndefined();
  });

  it('never takes the forward refresh itself, even when it looks like a revert', () => {
    const lookalike = { ...revert, id: 'r-forward' };
    expect(ownStartedRevert([lookalike], 'r-forward', asked)).toBeUndefined();
  });
});
