/**
 * Environment variable names shared by the constructs that set them and the Lambdas that read
 * them, so the two never drift.
 */
export const ENV = {
  /** The validated user configuration as JSON, without the values equal to their defaults (the schema fills them in). */
  config: 'PRESCALE_CONFIG',
  stateTableName: 'PRESCALE_STATE_TABLE',
  groupQueueUrl: 'PRESCALE_GROUP_QUEUE_URL',
  eventBusName: 'PRESCALE_EVENT_BUS',
  notificationTopicArn: 'PRESCALE_TOPIC_ARN',
  schedulerRoleArn: 'PRESCALE_SCHEDULER_ROLE_ARN',
  schedulerGroupName: 'PRESCALE_SCHEDULER_GROUP',
  prewarmFunctionArn: 'PRESCALE_PREWARM_FUNCTION_ARN',
  rollingUpdateStateMachineArn: 'PRESCALE_ROLLING_UPDATE_STATE_MACHINE_ARN',
  updatePlanStateMachineArn: 'PRESCALE_UPDATE_PLAN_STATE_MACHINE_ARN',
  /** Where plan and cancel events that cannot be acted on go, with the reason. */
  updatePlanDeadLetterQueueUrl: 'PRESCALE_UPDATE_PLAN_DLQ_URL',
  killSwitchParameterName: 'PRESCALE_KILL_SWITCH_PARAMETER',
  pricingRegion: 'PRESCALE_PRICING_REGION',
  /**
   * The deployment's name (its stack's): what the `prescale:deployment` tag of a group it manages
   * says, so two deployments never act on one group.
   */
  deployment: 'PRESCALE_DEPLOYMENT',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** Tags Prescale reads on Auto Scaling groups. */
export const GROUP_TAGS = {
  /** Default enrolment tag key; the value `true` enrols the group. */
  enabled: 'prescale:enabled',
  /** Any value other than `false` pauses Prescale for the group. */
  paused: 'prescale:paused',
  /**
   * The Prescale deployment that manages the group (its stack name), written by that deployment's
   * first run that may change the group; every other deployment then holds the group.
   */
  deployment: 'prescale:deployment',
  /** Per-group mode override: `forecast-only` or `forecast-and-scale`; any other value holds the group forecast-only. */
  mode: 'prescale:mode',
  /** Per-group target load per instance override, a positive number. */
  targetLoadPerInstance: 'prescale:target-load-per-instance',
  /** Per-group floor override, a whole number of instances. */
  floorCapacity: 'prescale:floor',
  /**
   * Per-group ceiling of the planning quantile, a number in (0.5, `MAX_PLANNING_QUANTILE`] (0.99,
   * the highest quantile the forecast gives): the most headroom the SLO-budget controller may buy
   * for the group (the start and the lower bound follow it down).
   */
  planningQuantileMax: 'prescale:planning-quantile-max',
  /**
   * Per-group `recurringPeakDays`, a whole number 0–14: opts a group with an SLO in to (or
   * out of) the one instance for each hour's recurring peak.
   */
  recurringPeakDays: 'prescale:recurring-peak-days',
  /** Per-group `recentLoadHoldMinutes`, a whole number 0–1440: opts a group in to (or out of) holding its recent load. */
  recentLoadHoldMinutes: 'prescale:recent-load-hold-minutes',
  /** Per-group `recentLoadHoldQuantile`, a number in (0, 1]: the quantile of the window that group holds. */
  recentLoadHoldQuantile: 'prescale:recent-load-hold-quantile',
  /** Per-group `steadyHoldMaxExtraCost`, a number in [0, 1]: the most a steady hold of the day's load may add (0: off). */
  steadyHoldMaxExtraCost: 'prescale:steady-hold-max-extra-cost',
  /**
   * Per-group `scaleInAheadTargetRatio`, a number in (0, 1]: the share of the target at which that
   * group's predictive scale-in serves its recent peak.
   */
  scaleInAheadTargetRatio: 'prescale:scale-in-ahead-target-ratio',
  /** Per-group `forecastFloor`, `true` or `false`: `false` leaves the group predictive scale-in alone. */
  forecastFloor: 'prescale:forecast-floor',
  /** Per-group `floorCheckDays`, a whole number 0–7: `0` never stands the group's forecast floor down. */
  floorCheckDays: 'prescale:floor-check-days',
} as const;

/** Powertools namespace and service name for every Prescale metric and log line. */
export const METRICS_NAMESPACE = 'Prescale';
export const SERVICE_NAME = 'prescale';
