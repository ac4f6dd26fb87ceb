/** Some groups of a campaign action failed; the invocation fails so Lambda retries it (idempotent). */
export class CampaignActionFailedError extends Error {
  override readonly name = 'CampaignActionFailedError' as const;
  constructor(
    readonly campaignId: string,
    readonly action: string,
    readonly failures: readonly { readonly groupName: string; readonly error: Error }[],
  ) {
    super(
      `Campaign ${campaignId} ${action} failed for ${failures
        .map((f) => `${f.groupName} (${f.error.name}: ${f.error.message})`)
        .join(', ')}`,
      { cause: failures[0]?.error },
    );
  }
}
