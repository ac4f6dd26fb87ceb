import {
  type AppliedInstanceTypeChange,
  appliedChangeStanding,
  revertedChangeReason,
} from '../../../../shared/core/pricing/reverted-change';
import { ROLLED_OUT_ERROR } from '../../../../shared/core/update-plan/types';

const APPLIED_AT_MS = Date.UTC(2026, 10, 22, 6);
const overrides: AppliedInstanceTypeChange = {
  kind: 'overrides',
  appliedAtMs: APPLIED_AT_MS,
  from: { instanceTypes: ['m5.large', 'm5.xlarge'] },
  to: { instanceTypes: ['m6a.large', 'm5.large'] },
};
const rolledOut: AppliedInstanceTypeChange = {
  kind: 'launch-template-version',
  appliedAtMs: APPLIED_AT_MS,
  from: { instanceTypes: ['c6gn.large'], launchTemplateVersion: 7 },
  to: { instanceTypes: ['c7g.large'], launchTemplateVersion: 10 },
  launchTemplateId: 'lt-web',
  executionArn: 'arn:aws:states:eu-west-1:1:execution:ru:web-lt-web-v10',
};

describe('appliedChangeStanding', () => {
  it.each([
    ['the types applied', ['m6a.large', 'm5.large'], 'in-place'],
    ['the types it changed from', ['m5.large', 'm5.xlarge'], 'reverted'],
    ['the types it changed from in another order', ['m5.xlarge', 'm5.large'], 'new-baseline'],
    ['other types', ['m6i.large', 'm6i.xlarge'], 'new-baseline'],
    ['one of the types it changed from only', ['m5.large'], 'new-baseline'],
  ] as const)('reads a group running %s as %s', (_what, current, standing) => {
    expect(appliedChangeStanding(overrides, current)).toBe(standing);
  });

  it("reads a single-type group by its type, whatever its template's version", () => {
    expect(appliedChangeStanding(rolledOut, ['c6gn.large'])).toBe('reverted');
    expect(appliedChangeStanding(rolledOut, ['c7g.large'])).toBe('in-place');
  });
});

describe('revertedChangeReason', () => {
  it("names the change, its date, the other actor and how to opt back in for a mixed group's overrides", () => {
    const reason = revertedChangeReason(overrides);
    expect(reason).toContain('m5.large, m5.xlarge → m6a.large, m5.large');
    expect(reason).toContain(
      "reverted since 2026-11-22T06:00:00.000Z by another actor (e.g. the owner's infrastructure as code)",
    );
    expect(reason).toContain('Prescale will not re-apply it');
    expect(reason).toContain('delete its applied-change record');
  });

  it('holds a single-type group only when its rolling update rolled out, or can no longer be read', () => {
    const succeeded = { status: 'SUCCEEDED', outcome: 'Succeeded' };
    expect(revertedChangeReason(rolledOut, succeeded)).toContain('reverted since 2026-11-22T06:00:00.000Z');
    // A succeeded execution whose outcome cannot be read is taken as rolled out: never a re-apply.
    expect(revertedChangeReason(rolledOut, { status: 'SUCCEEDED' })).toContain('reverted since');
    expect(revertedChangeReason(rolledOut, { status: 'NOT_STARTED' })).toContain(
      `either reverted since 2026-11-22T06:00:00.000Z by another actor (e.g. the owner's infrastructure as code) or rolled back by its rolling update ${rolledOut.executionArn}`,
    );
    for (const status of ['FAILED', 'TIMED_OUT', 'ABORTED', 'RUNNING'])
      expect(revertedChangeReason(rolledOut, { status })).toBeUndefined();
  });

  it('takes a rollout that failed after rolling out (Rolled out, needs attention) as rolled out', () => {
    // "Rolled out, needs attention" and "Rolled out, capacity not restored" end FAILED with this
    // Error: the group was on the new type, so its return is a revert.
    expect(revertedChangeReason(rolledOut, { status: 'FAILED', error: ROLLED_OUT_ERROR })).toContain(
      'reverted since 2026-11-22T06:00:00.000Z by another actor',
    );
    expect(revertedChangeReason(rolledOut, { status: 'FAILED', error: 'RefreshFailed' })).toBeUndefined();
  });

  it('takes a rollout that deferred (no low-load window: a success that changed nothing) for no revert', () => {
    expect(revertedChangeReason(rolledOut, { status: 'SUCCEEDED', outcome: 'Deferred' })).toBeUndefined();
  });
});
