import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { processGroupWorkBatch } from '../../../shared/aws/process-group-work-batch';
import type { GroupWorkItem } from '../../../shared/ports/group-work-queue';
import { sqsRecord } from '../../helpers/lambda-events';

const context = { functionName: 'test', awsRequestId: 'req-1' } as unknown as Context;
const logger = new Logger({ logLevel: 'SILENT' });
const body = (groupName: string, tickMs: number) => JSON.stringify({ groupName, tickMs });

describe('processGroupWorkBatch', () => {
  it('runs the valid items in one call and fails only malformed messages and failed groups', async () => {
    const calls: GroupWorkItem[][] = [];
    const result = await processGroupWorkBatch(
      {
        Records: [
          sqsRecord('ok', body('web', 300_000)),
          sqsRecord('bad-json', '{'),
          sqsRecord('failed', body('api', 300_000)),
          sqsRecord('old-tick', body('api', 0)),
          sqsRecord('bad-field', body('', 1)),
        ],
      },
      context,
      async (items) => {
        calls.push(items);
        return [
          { kind: 'ran', groupName: 'web' },
          { kind: 'failed', groupName: 'api', tickMs: 300_000 },
          { kind: 'ran', groupName: 'api' },
        ];
      },
      logger,
    );
    expect(calls).toEqual([
      [
        { groupName: 'web', tickMs: 300_000 },
        { groupName: 'api', tickMs: 300_000 },
        { groupName: 'api', tickMs: 0 },
      ],
    ]);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
      'bad-field',
      'bad-json',
      'failed',
    ]);
  });

  it('answers with every message when all fail, instead of throwing', async () => {
    const result = await processGroupWorkBatch(
      { Records: [sqsRecord('a', 'x')] },
      context,
      async () => [],
      logger,
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'a' }] });
  });

  it('fails the invocation when the batch run itself throws', async () => {
    await expect(
      processGroupWorkBatch(
        { Records: [sqsRecord('a', body('web', 0))] },
        context,
        async () => {
          throw new Error('state table unavailable');
        },
        logger,
      ),
    ).rejects.toThrow('state table unavailable');
  });
});
