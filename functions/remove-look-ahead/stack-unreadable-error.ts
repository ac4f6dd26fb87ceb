/** Characters of the CloudFormation error the message keeps (CloudFormation takes 4,096 bytes of reason). */
const CAUSE_CHARS = 500;

/**
 * Thrown when the remover cannot read its own stack on a Delete: it cannot tell the stack's
 * deletion from one copy of its resource being replaced while the deployment lives on, so it
 * removes nothing and fails the Delete (CloudFormation shows the message).
 */
export class StackUnreadableError extends Error {
  override readonly name = 'StackUnreadableError' as const;
  constructor(
    readonly stackId: string,
    options: { readonly cause: unknown },
  ) {
    const said = String((options.cause as { message?: unknown })?.message ?? options.cause);
    const clipped = said.length <= CAUSE_CHARS ? said : `${said.slice(0, CAUSE_CHARS - 1)}…`;
    super(
      `could not read stack ${stackId} (${clipped}), so could not tell its deletion from a replaced copy of the cleanup resource: nothing was removed; give the remover's role cloudformation:DescribeStacks and cloudformation:ListStackResources on the stack and retry (docs/OPERATIONS.md, "Uninstall")`,
      options,
    );
  }
}
