import { z } from 'zod';
import { createObservability } from '../../../shared/aws/powertools';
import { withMiddleware } from '../../../shared/aws/with-middleware';
import { InvalidConfigError } from '../../../shared/contracts/parse-config';
import { builtAt, invocationContext, messagesAt, printedDuring } from '../../helpers/powertools-output';

/** A handler that logs a line naming its group, after appending the group as a key on the first call. */
function groupHandler() {
  return builtAt('INFO', () => {
    const observability = createObservability('test-role');
    let calls = 0;
    return withMiddleware(
      z.object({ groupName: z.string(), desired: z.number().int().min(0) }),
      async (input) => {
        calls += 1;
        if (calls === 1) observability.logger.appendKeys({ firstGroup: input.groupName });
        observability.logger.info('group handled', { groupName: input.groupName });
        return input.desired;
      },
      observability,
    );
  });
}

describe('withMiddleware', () => {
  it('hands the handler the parsed event and returns its result', async () => {
    expect(await groupHandler()({ groupName: 'web', desired: 3 }, invocationContext('r1'))).toBe(3);
  });

  it("logs each invocation with its own request id and the function's role, no keys of the one before", async () => {
    const handler = groupHandler();
    const lines = await printedDuring(async () => {
      await handler({ groupName: 'web', desired: 1 }, invocationContext('r1'));
      await handler({ groupName: 'api', desired: 2 }, invocationContext('r2'));
    });
    const handled = lines.filter((line) => line.message === 'group handled');
    expect(handled).toEqual([
      expect.objectContaining({
        groupName: 'web',
        function_request_id: 'r1',
        functionRole: 'test-role',
        firstGroup: 'web',
      }),
      expect.objectContaining({ groupName: 'api', function_request_id: 'r2', functionRole: 'test-role' }),
    ]);
    expect(handled[1]).not.toHaveProperty('firstGroup');
  });

  it('rejects a bad event with InvalidConfigError naming each bad field, and logs the failure', async () => {
    const handler = groupHandler();
    let failure: unknown;
    const lines = await printedDuring(async () => {
      failure = await handler({ groupName: 7, desired: -1 }, invocationContext('r3')).catch((error) => error);
    });
    expect(failure).toBeInstanceOf(InvalidConfigError);
    expect((failure as InvalidConfigError).problems.map((problem) => problem.path).sort()).toEqual([
      'desired',
      'groupName',
    ]);
    expect(messagesAt(lines, 'ERROR')).toEqual(['handler failed']);
  });
});
