import fc from 'fast-check';
import { CHILD_CAUSE_MAX_CHARS, cutChildDetail } from '../../../../shared/core/update-plan/child-detail';
import type { ChildOutcome } from '../../../../shared/core/update-plan/types';

const ARN = 'arn:aws:states:eu-west-1:123456789012:execution:RollingUpdates:plan-1-s1-api';
const failed = (detail: string, extra: Partial<ChildOutcome> = {}): ChildOutcome => ({
  groupName: 'api',
  label: 'Slot 1: update api',
  childName: 'plan-1-s1-api',
  slotIndex: 0,
  status: 'Failed',
  error: 'States.TaskFailed',
  detail,
  ...extra,
});
const syncCause = (cause: string) =>
  JSON.stringify({
    executionArn: ARN,
    input: '{"groupName":"api"}',
    status: 'FAILED',
    error: 'RefreshFailed',
    cause,
  });

describe('cutChildDetail', () => {
  it('keeps a short detail whole, read out of a startExecution.sync Cause', () => {
    expect(cutChildDetail(failed(syncCause('health checks')))).toBe('RefreshFailed: health checks');
    expect(cutChildDetail(failed('plain text'))).toBe('plain text');
  });

  it('cuts a long Cause after its error, naming the child execution inside it', () => {
    const detail = cutChildDetail(failed(syncCause('x'.repeat(32_000))));
    expect(Array.from(detail)).toHaveLength(CHILD_CAUSE_MAX_CHARS);
    expect(detail).toMatch(/^RefreshFailed: x+ … \[cut: 32015 characters in all; /);
    expect(detail).toContain(`the full text is in the history of ${ARN}]`);
  });

  it("names the outcome's own execution, else the child's name", () => {
    const held = { status: 'Deferred' as const, executionArn: `${ARN}-held` };
    expect(cutChildDetail(failed(`held: ${'y'.repeat(5000)}`, held))).toContain(`history of ${ARN}-held]`);
    expect(cutChildDetail(failed('z'.repeat(5000)))).toContain('history of execution plan-1-s1-api]');
  });

  it('is at most CHILD_CAUSE_MAX_CHARS long, and cutting it again changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.boolean(), (text, asCause) => {
        const once = cutChildDetail(failed(asCause ? syncCause(text) : text));
        expect(Array.from(once).length).toBeLessThanOrEqual(CHILD_CAUSE_MAX_CHARS);
        expect(cutChildDetail(failed(once))).toBe(once);
      }),
    );
  });
});
