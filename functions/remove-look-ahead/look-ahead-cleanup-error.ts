/** Thrown when some groups kept look-ahead actions at stack deletion; CloudFormation shows the message. */
export class LookAheadCleanupError extends Error {
  override readonly name = 'LookAheadCleanupError' as const;
  constructor(readonly groups: readonly { readonly groupName: string; readonly error: string }[]) {
    super(
      `could not delete the prescale- scheduled actions of ${groups.map((g) => `${g.groupName} (${g.error})`).join(', ')}; remove them by hand (docs/OPERATIONS.md, "Remove the look-ahead by hand") and retry the deletion`,
    );
  }
}
