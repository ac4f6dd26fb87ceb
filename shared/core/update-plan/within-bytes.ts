const encoder = new TextEncoder();

/** UTF-8 length of `value` as JSON: what Step Functions and DynamoDB count. */
export function jsonBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

/**
 * The longest prefix of `items` whose JSON fits in `maxBytes` (UTF-8), and how many were left
 * off. The plan travels whole in the update-plan execution's state, which Step Functions caps at
 * 256 KiB ("The maximum input or output size for a task, state, or execution is 256 KiB of data as
 * a UTF-8 encoded string", Step Functions service quotas), so its explanations (a reason for every
 * slot a group did not take, a warning for every short slot) are kept within a share of it.
 * Keeps order; never splits an item. @throws RangeError when `maxBytes` is not positive.
 */
export function withinBytes<T>(
  items: readonly T[],
  maxBytes: number,
): { readonly kept: T[]; readonly omitted: number } {
  if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be positive; got ${maxBytes}`);
  const kept: T[] = [];
  let bytes = 2; // the brackets
  for (const item of items) {
    const next = bytes + jsonBytes(item) + (kept.length > 0 ? 1 : 0);
    if (next > maxBytes) break;
    kept.push(item);
    bytes = next;
  }
  return { kept, omitted: items.length - kept.length };
}
