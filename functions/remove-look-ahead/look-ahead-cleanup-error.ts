/** Groups the message names; the rest are counted (the remover's log lists every one). */
const GROUPS_NAMED = 5;
/** Characters of one group's error the message keeps. */
const ERROR_CHARS = 200;
/**
 * CloudFormation takes at most 4,096 bytes of custom-resource response, and the CDK provider
 * framework puts more than this message in its Reason: a `Logs:` line, the function's stack trace,
 * then the response's own ids (stack ARN, request id, logical and physical ids). 2,048 bytes leaves
 * them the other half.
 */
export const CLEANUP_MESSAGE_MAX_BYTES = 2_048;

/** Thrown when some groups kept look-ahead actions at stack deletion; CloudFormation shows the message. */
export class LookAheadCleanupError extends Error {
  override readonly name = 'LookAheadCleanupError' as const;
  constructor(readonly groups: readonly { readonly groupName: string; readonly error: string }[]) {
    const named = groups
      .slice(0, GROUPS_NAMED)
      .map((g) => `${g.groupName} (${clip(g.error, ERROR_CHARS)})`)
      .join(', ');
    const unnamed = groups.length - GROUPS_NAMED;
    const more =
      unnamed > 0
        ? ` and ${unnamed} more group${unnamed === 1 ? '' : 's'} (every one in the remover's log, "look-ahead removed")`
        : '';
    const advice =
      '; retry the deletion once a hold is over, or remove the look-ahead by hand (docs/OPERATIONS.md, "Remove the look-ahead by hand") and retry';
    const head = 'could not clean up ';
    const budget = CLEANUP_MESSAGE_MAX_BYTES - byteLength(head + more + advice);
    super(`${head}${clipBytes(named, budget)}${more}${advice}`);
  }
}

function clip(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}

const byteLength = (text: string) => new TextEncoder().encode(text).length;

/** `text` cut to at most `bytes` UTF-8 bytes, on a character boundary, marked where cut. */
function clipBytes(text: string, bytes: number): string {
  if (byteLength(text) <= bytes) return text;
  // A character takes at least one byte: no more than `bytes` of them can fit.
  let cut = [...text].slice(0, bytes);
  while (cut.length > 0 && byteLength(`${cut.join('')}…`) > bytes) cut = cut.slice(0, -1);
  return `${cut.join('')}…`;
}
