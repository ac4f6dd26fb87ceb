import { SimulatedAwsError } from '../simulated-aws-error';

/**
 * One page of a Describe* listing: at most `min(max, maxRecords)` items from the offset encoded in
 * `nextToken` (base64 of the index), and the token of the next page when items are left.
 * @throws SimulatedAwsError InvalidNextToken when the token is not a valid offset.
 */
export function page<T>(
  items: readonly T[],
  maxRecords: number | undefined,
  nextToken: string | undefined,
  max: number,
): { items: T[]; next?: string } {
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw new SimulatedAwsError('InvalidNextToken', 'The NextToken is invalid.');
  const size = Math.min(max, maxRecords ?? max);
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return {
    items: slice,
    ...(end < items.length ? { next: Buffer.from(String(end), 'utf8').toString('base64') } : {}),
  };
}
