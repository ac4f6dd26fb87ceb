/**
 * Some groups of the maintenance scan failed (the others were scanned, and logged): the invocation
 * fails so it is retried and the errors alarm sees it. A retried scan starts nothing twice
 * (execution names carry the day).
 */
export class MaintenanceScanFailedError extends Error {
  override readonly name = 'MaintenanceScanFailedError' as const;
  constructor(readonly failures: readonly { readonly groupName: string; readonly reason: string }[]) {
    super(
      `scheduled-maintenance scan failed for ${failures.map((f) => `${f.groupName} (${f.reason})`).join(', ')}`,
    );
  }
}
