import fc from 'fast-check';
import { untilProcessed } from '../../../shared/aws/until-processed';
import { TransientDependencyError } from '../../../shared/ports/errors';

describe('untilProcessed', () => {
  const noWait = (delays: number[]) => ({
    sleep: async (ms: number) => {
      delays.push(ms);
    },
  });

  it('sends once and does not wait when everything is processed', async () => {
    const delays: number[] = [];
    const sent: number[][] = [];
    await untilProcessed(
      [1, 2, 3],
      async (pending) => {
        sent.push([...pending]);
        return [];
      },
      'DynamoDB',
      'BatchWriteItem',
      noWait(delays),
    );
    expect(sent).toEqual([[1, 2, 3]]);
    expect(delays).toEqual([]);
  });

  it('resends only what was left, after a delay no longer than the doubling cap', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        async (leftOver, random) => {
          const delays: number[] = [];
          const sent: number[][] = [];
          await untilProcessed(
            [1, 2, 3, 4, 5],
            async (pending) => {
              sent.push([...pending]);
              return sent.length <= leftOver ? pending.slice(1) : [];
            },
            'DynamoDB',
            'BatchWriteItem',
            { ...noWait(delays), random: () => random, baseDelayMs: 40 },
          );
          expect(sent).toHaveLength(leftOver + 1);
          for (let i = 1; i < sent.length; i += 1)
            expect(sent[i]).toEqual((sent[i - 1] as number[]).slice(1));
          delays.forEach((ms, i) => {
            expect(ms).toBeGreaterThanOrEqual(0);
            expect(ms).toBeLessThan(40 * 2 ** i);
          });
        },
      ),
    );
  });

  it('fails as transient, naming the operation, when items remain after the last request', async () => {
    const delays: number[] = [];
    let requests = 0;
    const failure = untilProcessed(
      ['a'],
      async (pending) => {
        requests += 1;
        return pending;
      },
      'DynamoDB',
      'BatchGetItem (unprocessed keys)',
      { ...noWait(delays), maxRequests: 3, random: () => 0.5 },
    );
    await expect(failure).rejects.toBeInstanceOf(TransientDependencyError);
    await expect(failure).rejects.toThrow('DynamoDB BatchGetItem (unprocessed keys) failed transiently');
    expect(requests).toBe(3);
    expect(delays).toEqual([25, 50]);
  });

  it("passes the sender's own error through", async () => {
    const error = new Error('AccessDeniedException');
    await expect(
      untilProcessed(
        [1],
        async () => {
          throw error;
        },
        'DynamoDB',
        'BatchWriteItem',
      ),
    ).rejects.toBe(error);
  });
});
