import { createHash } from 'node:crypto';

/** The characters Prescale writes in a Step Functions execution name (AWS allows a few more). */
const NAME_CHARACTERS = /^[A-Za-z0-9_-]*$/;

/** Hex digits of the exact text's SHA-256 that mark a changed part. */
const DIGEST_LENGTH = 8;

/**
 * `text` (a group or plan name) as a part of a Step Functions execution name, at most `maxLength`
 * characters of `A-Za-z0-9-_`. A text that already is one is kept as it is, so names stay
 * readable; any other has its other characters replaced by `-`, is cut, and ends in `-` and 8 hex
 * of the SHA-256 of the exact text. Texts that clean or cut to the same characters (`svc.a` and
 * `svc-a`, two long names sharing their start) so get different parts, and the same text always
 * the same part: an execution name must tell groups apart (a name already used is
 * `ExecutionAlreadyExists`, read as "already started") and name a retried start alike.
 * @throws RangeError when `maxLength` leaves no room for the digest (below 9).
 */
export function executionNamePart(text: string, maxLength: number): string {
  if (maxLength < DIGEST_LENGTH + 1) {
    throw new RangeError(
      `an execution name part needs at least ${DIGEST_LENGTH + 1} characters; got ${maxLength}`,
    );
  }
  if (text.length > 0 && text.length <= maxLength && NAME_CHARACTERS.test(text)) return text;
  const digest = createHash('sha256').update(text).digest('hex').slice(0, DIGEST_LENGTH);
  const head = text.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, maxLength - DIGEST_LENGTH - 1);
  return `${head}-${digest}`;
}
