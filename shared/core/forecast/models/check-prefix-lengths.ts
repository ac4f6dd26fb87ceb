import { InsufficientHistoryError } from '../errors';

/**
 * Checks the prefix lengths a model's `fitPrefixes` receives: each at least `minHistorySteps`,
 * ascending, and within the `availableSteps` of the series.
 * @throws InsufficientHistoryError when a length is below `minHistorySteps`.
 * @throws RangeError when the lengths do not ascend or exceed the series.
 */
export function checkPrefixLengths(
  model: string,
  lengths: readonly number[],
  availableSteps: number,
  minHistorySteps: number,
): void {
  lengths.forEach((length, i) => {
    if (length < minHistorySteps) throw new InsufficientHistoryError(model, length, minHistorySteps);
    if (length > availableSteps || (i > 0 && length < (lengths[i - 1] as number)))
      throw new RangeError(
        `${model}: prefix lengths must ascend within the ${availableSteps} history steps; received ${lengths.join(', ')}`,
      );
  });
}
