import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { TransientDependencyError } from '../ports/errors';
import { translateAwsError } from './translate-aws-error';

const DEPENDENCY = 'DynamoDB';

/** How `untilProcessed` spaces its resends; injectable so tests need not wait. */
export interface ResendPolicy {
  /** Requests in all, the first included, before the rest counts as a failure. @default 5 */
  readonly maxRequests?: number;
  /** The cap of the first resend's random delay; each later one doubles it. @default 50 */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends a DynamoDB batch (`BatchWriteItem`, `BatchGetItem`) and resends what it leaves
 * unprocessed until nothing is left. DynamoDB returns unprocessed items when a partition is
 * throttled, and AWS asks callers to back off before resending, so each resend waits a random
 * delay up to `baseDelayMs` × 2^(resend − 1) ("full jitter"): resending at once would meet the
 * same throttle.
 * @param send sends one request with `pending` and returns what DynamoDB left unprocessed.
 * @throws TransientDependencyError naming `operation` when items remain after `maxRequests`
 *   requests; whatever `send` throws.
 */
export async function untilProcessed<T>(
  first: readonly T[],
  send: (pending: readonly T[]) => Promise<readonly T[]>,
  dependency: string,
  operation: string,
  policy: ResendPolicy = {},
): Promise<void> {
  const { maxRequests = 5, baseDelayMs = 50, sleep = sleepFor, random = Math.random } = policy;
  let pending = first;
  for (let request = 0; pending.length > 0; request += 1) {
    if (request >= maxRequests) throw new TransientDependencyError(dependency, operation);
    if (request > 0) await sleep(random() * baseDelayMs * 2 ** (request - 1));
    pending = await send(pending);
  }
}

/**
 * Writes `requests` (puts or deletes of marshalled items, at most 25, DynamoDB's batch limit) to `tableName` with `BatchWriteItem`,
 * resending what DynamoDB leaves unprocessed (`untilProcessed`).
 * @throws TransientDependencyError when items remain unprocessed; an SDK error as
 *   `translateAwsError` names it.
 */
export async function writeBatchUntilProcessed(
  client: DynamoDBClient,
  tableName: string,
  requests: readonly WriteRequest[],
  resend: ResendPolicy = {},
): Promise<void> {
  await untilProcessed(
    requests,
    async (pending) => {
      try {
        const out = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [tableName]: [...pending] } }),
        );
        return out.UnprocessedItems?.[tableName] ?? [];
      } catch (error) {
        throw translateAwsError(error, DEPENDENCY, 'BatchWriteItem');
      }
    },
    DEPENDENCY,
    'BatchWriteItem (unprocessed items)',
    resend,
  );
}
