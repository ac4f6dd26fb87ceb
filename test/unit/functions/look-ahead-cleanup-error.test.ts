import {
  CLEANUP_MESSAGE_MAX_BYTES,
  LookAheadCleanupError,
} from '../../../functions/remove-look-ahead/look-ahead-cleanup-error';

/** An AccessDenied as Auto Scaling words it, about 200 bytes. */
const accessDenied = (group: string) =>
  `AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/Prescale-LookAheadCleanupRemoverRole-ABCDEFGHIJKL/Prescale-LookAheadCleanupRemover is not authorized to perform: autoscaling:BatchDeleteScheduledAction on ${group}`;

/**
 * The response the CDK provider framework sends CloudFormation for a failed onEvent: its Reason is
 * the error message, the `Logs:` line, then the function's stack trace (`framework.js`), in the
 * response's envelope (`cfn-response.js`).
 */
function frameworkResponse(message: string): string {
  const trace = Array.from(
    { length: 10 },
    (_, i) => `    at handler (/var/task/index.js:${1000 + i}:${20 + i})`,
  );
  const reason = [
    message,
    '',
    'Logs: /aws/lambda/Prescale-LookAheadCleanupRemover1A2B3C4D-AbCdEfGhIjKl',
    '',
    ...trace,
  ].join('\n');
  return JSON.stringify({
    Status: 'FAILED',
    Reason: reason,
    StackId:
      'arn:aws:cloudformation:us-east-1:123456789012:stack/Prescale/12345678-1234-1234-1234-123456789012',
    RequestId: '12345678-1234-1234-1234-123456789012',
    PhysicalResourceId: 'prescale-look-ahead-cleanup',
    LogicalResourceId: 'LookAheadCleanupResource1A2B3C4D',
  });
}

describe('LookAheadCleanupError', () => {
  it("keeps CloudFormation's 4,096-byte response when many groups fail: five named, the rest counted", () => {
    const groups = Array.from({ length: 20 }, (_, i) => {
      const groupName = `web-${String(i).padStart(2, '0')}`;
      return { groupName, error: accessDenied(groupName) };
    });
    const { message } = new LookAheadCleanupError(groups);
    expect(new TextEncoder().encode(frameworkResponse(message)).length).toBeLessThanOrEqual(4_096);
    expect(message).toMatch(/^could not clean up web-00 \(AccessDeniedException: /);
    expect(message).toContain('web-04 (');
    expect(message).not.toContain('web-05');
    expect(message).toContain('and 15 more groups');
  });

  it('keeps to its budget with the longest group names and multi-byte errors', () => {
    const groups = Array.from({ length: 6 }, (_, i) => ({
      groupName: `${'g'.repeat(250)}-${i}`,
      error: `Error: ${'é'.repeat(400)}`,
    }));
    const { message } = new LookAheadCleanupError(groups);
    expect(new TextEncoder().encode(message).length).toBeLessThanOrEqual(CLEANUP_MESSAGE_MAX_BYTES);
    expect(message).toContain('and 1 more group (');
    expect(message).toContain('Remove the look-ahead by hand');
  });

  it('names every group when few fail, with its error whole', () => {
    const { message } = new LookAheadCleanupError([{ groupName: 'web', error: 'Error: Throttling' }]);
    expect(message).toMatch(/^could not clean up web \(Error: Throttling\); retry the deletion/);
  });
});
