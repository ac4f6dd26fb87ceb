/**
 * Named errors of the forecasting engine. Each sets `name` to a string literal (minifiers rename
 * classes; Step Functions matches on the name) and carries what it received as readonly fields.
 */

/** The history passed in had no observations at all. */
export class EmptySeriesError extends Error {
  override readonly name = 'EmptySeriesError' as const;
  constructor() {
    super(
      'Load history is empty: received 0 observations, expected at least 1 with a finite, non-negative value',
    );
  }
}

/** Every observation was dropped by cleaning (non-finite or negative), so nothing usable remains. */
export class NoUsableDataError extends Error {
  override readonly name = 'NoUsableDataError' as const;
  constructor(
    readonly inputPoints: number,
    readonly droppedNonFinite: number,
    readonly droppedNegative: number,
  ) {
    super(
      `No usable load observations: received ${inputPoints}, dropped ${droppedNonFinite} non-finite and ` +
        `${droppedNegative} negative; expected at least 1 finite, non-negative value`,
    );
  }
}

/**
 * The step length is not a number of seconds in [1, 86400] that divides a day: the daily and
 * weekly seasons must be whole numbers of steps.
 */
export class InvalidStepError extends Error {
  override readonly name = 'InvalidStepError' as const;
  constructor(readonly stepSeconds: number) {
    super(
      `Invalid stepSeconds: received ${stepSeconds}, expected a number of seconds in [1, 86400] that divides a day (86400 s) into whole steps, e.g. 60, 300 or 3600`,
    );
  }
}

/** The requested horizon is not a positive integer number of steps. */
export class InvalidHorizonError extends Error {
  override readonly name = 'InvalidHorizonError' as const;
  constructor(readonly horizonSteps: number) {
    super(`Invalid horizonSteps: received ${horizonSteps}, expected a positive integer`);
  }
}

/** A requested interval level is outside the open interval (0, 100) percent. */
export class InvalidLevelError extends Error {
  override readonly name = 'InvalidLevelError' as const;
  constructor(readonly levelPct: number) {
    super(`Invalid interval level: received ${levelPct}, expected a percentage strictly between 0 and 100`);
  }
}

/** A model was asked to fit a series shorter than its stated minimum history. */
export class InsufficientHistoryError extends Error {
  override readonly name = 'InsufficientHistoryError' as const;
  constructor(
    readonly model: string,
    readonly historySteps: number,
    readonly minHistorySteps: number,
  ) {
    super(
      `Model ${model} needs at least ${minHistorySteps} history steps at this step length; received ${historySteps}`,
    );
  }
}

/** A quantile was requested outside the probabilities the forecast's interval levels cover. */
export class ProbabilityOutOfRangeError extends Error {
  override readonly name = 'ProbabilityOutOfRangeError' as const;
  constructor(
    readonly probability: number,
    readonly minProbability: number,
    readonly maxProbability: number,
  ) {
    super(
      `Quantile probability ${probability} is outside what the forecast's levels cover: expected a value in ` +
        `[${minProbability}, ${maxProbability}]`,
    );
  }
}

/** A campaign window is malformed (end before start, negative ramp, negative or non-finite uplift). */
export class InvalidCampaignError extends Error {
  override readonly name = 'InvalidCampaignError' as const;
  constructor(
    readonly campaignId: string,
    readonly reason: string,
  ) {
    super(`Invalid campaign ${campaignId}: ${reason}`);
  }
}

/** Cleaning would produce more steps than the engine accepts (timestamps spread over too long a span). */
export class SeriesSpanTooLargeError extends Error {
  override readonly name = 'SeriesSpanTooLargeError' as const;
  constructor(
    readonly steps: number,
    readonly maxSteps: number,
  ) {
    super(
      `History spans ${steps} steps after resampling; expected at most ${maxSteps} (check for stray timestamps)`,
    );
  }
}

/** Metric inputs were empty or not aligned step by step. */
export class MetricInputError extends Error {
  override readonly name = 'MetricInputError' as const;
  constructor(
    readonly actualLength: number,
    readonly otherLength: number,
  ) {
    super(`Metric inputs must be non-empty and aligned: received lengths ${actualLength} and ${otherLength}`);
  }
}
