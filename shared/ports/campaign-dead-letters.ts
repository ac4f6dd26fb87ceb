/** Where rejected campaign events go, whole, with the reason (an SQS dead-letter queue in AWS). */
export interface CampaignDeadLetters {
  /**
   * Keeps `event` exactly as received with `reason`.
   * @throws TransientDependencyError, RejectedRequestError (the caller's invocation then fails
   *   and its own retry and failure destination take over).
   */
  reject(event: unknown, reason: string): Promise<void>;
}
