/** What a one-time campaign schedule does when it fires. */
export type CampaignAction = 'prewarm' | 'release';

/** One-time schedules that invoke the pre-warm Lambda (EventBridge Scheduler in AWS). */
export interface CampaignScheduler {
  /**
   * Creates the campaign's schedule for `action` at `atMs` (whole seconds, UTC), or moves it
   * there when it exists. Idempotent.
   * @throws TransientDependencyError, RejectedRequestError
   */
  scheduleAction(campaignId: string, action: CampaignAction, atMs: number): Promise<void>;
  /** Deletes the schedule; one that does not exist (fired, or never made) is fine. */
  cancelAction(campaignId: string, action: CampaignAction): Promise<void>;
}
