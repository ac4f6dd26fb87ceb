/** The group settings Auto Scaling reads an instance's warm-up from, in seconds. */
export interface GroupWarmupFields {
  /** `DefaultInstanceWarmup`; unset on groups created without it. */
  readonly defaultInstanceWarmupSeconds?: number;
  /** `DefaultCooldown` (Auto Scaling's default is 300). */
  readonly defaultCooldownSeconds?: number;
}

/**
 * How long an InService instance warms before it serves, in seconds: the group's default instance
 * warmup, or, where it is not set (Auto Scaling's default), its default cooldown, which the group's
 * scaling policies then take as the warmup ("If default instance warmup is null, then
 * EstimatedInstanceWarmup falls back to the value of default cooldown", PutScalingPolicy). 0 when
 * neither is known.
 */
export function groupWarmupSeconds(group: GroupWarmupFields): number {
  return group.defaultInstanceWarmupSeconds ?? group.defaultCooldownSeconds ?? 0;
}

/** Input of {@link groupLeadTimeSeconds}, in seconds. */
export interface GroupLeadTimeInput {
  /** Learned from the group's launches: launch to InService, warm-up included. */
  readonly learnedLeadTimeSeconds?: number | undefined;
  /** The configured launch-to-InService time (`defaultLeadTimeSeconds`), warm-up excluded. */
  readonly defaultLeadTimeSeconds: number;
  /** The group's warm-up ({@link groupWarmupSeconds}). */
  readonly warmupSeconds: number;
}

/**
 * A group's lead time, launch to serving, in seconds: the learned one, else the configured default
 * plus the group's warm-up. One definition for the loop, a campaign's pre-warm and its release, so
 * a pre-warm never fires later than the loop would have launched for the same start (a warming
 * instance counts as InService but serves nothing yet).
 */
export function groupLeadTimeSeconds(input: GroupLeadTimeInput): number {
  return input.learnedLeadTimeSeconds ?? input.defaultLeadTimeSeconds + input.warmupSeconds;
}
