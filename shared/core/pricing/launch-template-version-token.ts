import { createHash } from 'node:crypto';

/** What makes a token: the prefix, then the SHA-256 of the run's identity in base64url (52 characters). */
const TOKEN_PREFIX = 'prescale-';

/**
 * The `ClientToken` of the launch template version one selection run creates for one group:
 * `prescale-` and the SHA-256 (base64url) of the group, its launch template and the run's time (the
 * schedule's scheduled time, which a retried or duplicate delivery repeats). EC2 answers a repeat
 * of the same token and request with the version it created the first time, so a redelivered run
 * rolls out that version (the same execution name) instead of creating a second; a later run gets
 * another token, and so a new version. The same token with another request (a redelivery that
 * decided differently) is EC2's `IdempotentParameterMismatch`: one run changes a group once. EC2
 * tokens are per account and Region, at most 128 ASCII characters by CreateLaunchTemplateVersion's
 * reference and 64 by EC2's idempotency guide; this one is 52, within both.
 */
export function launchTemplateVersionToken(
  groupName: string,
  launchTemplateId: string,
  runTimeMs: number,
): string {
  if (!Number.isFinite(runTimeMs)) {
    throw new RangeError(`a selection run's time must be a finite epoch millisecond; got ${runTimeMs}`);
  }
  // NUL cannot occur in a group name or template id, so no two identities join to the same text.
  const identity = [groupName, launchTemplateId, new Date(runTimeMs).toISOString()].join('\u0000');
  return `${TOKEN_PREFIX}${createHash('sha256').update(identity).digest('base64url')}`;
}
