import {
  type BacktestCandidate,
  type BacktestFrame,
  originMase,
  weightedMean,
  weightedScore,
} from './backtest-candidates';
import type { SeasonalNaiveGuard } from './types';

/** Shares of seasonal naive the guard may move to, smallest first: half-and-half, then all of it. */
export const GUARD_SEASONAL_NAIVE_SHARES = [0.5, 1] as const;

/** What the guard decided, and the candidate to forecast with. */
export interface GuardOutcome {
  readonly candidate: BacktestCandidate;
  readonly report: SeasonalNaiveGuard;
}

/**
 * Keeps the selected forecast from being much worse than daily seasonal naive.
 *
 * The recent origins are the latest half of the included origins (at least two). When the
 * chosen candidate's recency-weighted MASE there is above seasonal naive's, the guard scores on
 * the same recent origins the blends (1 − s)·chosen + s·seasonal naive for s in
 * {@link GUARD_SEASONAL_NAIVE_SHARES} and keeps the lowest; seasonal naive alone wins ties, since
 * a model that stopped beating it recently has lost its case. Otherwise the choice stands.
 * Typical triggers: a holiday week that weekly models repeat, a level shift a smooth model lags.
 * @param include - origins that may be used (held-out calibration excludes some); all by default.
 */
export function guardAgainstSeasonalNaive(
  chosen: BacktestCandidate,
  naive: BacktestCandidate,
  frame: BacktestFrame,
  include: (k: number) => boolean = () => true,
): GuardOutcome {
  const included = frame.origins.map((_, k) => k).filter(include);
  const recentCount = Math.max(2, Math.ceil(included.length / 2));
  const recent = new Set(included.slice(-recentCount));
  const isRecent = (k: number): boolean => recent.has(k);
  const chosenRecent = weightedScore(chosen.originMase, frame.weights, isRecent);
  const naiveRecent = weightedScore(naive.originMase, frame.weights, isRecent);
  const keep = (): GuardOutcome => ({
    candidate: chosen,
    report: {
      engaged: false,
      seasonalNaiveShare: 0,
      recentMaseSelected: chosenRecent,
      recentMaseSeasonalNaive: naiveRecent,
    },
  });
  if (chosen === naive || !(chosenRecent > naiveRecent)) return keep();
  let best = chosen;
  let bestShare = 0;
  let bestScore = chosenRecent;
  for (const share of GUARD_SEASONAL_NAIVE_SHARES) {
    const blend = share === 1 ? naive : blendWithNaive(chosen, naive, share, frame);
    const score = weightedScore(blend.originMase, frame.weights, isRecent);
    if (score <= bestScore) {
      best = blend;
      bestShare = share;
      bestScore = score;
    }
  }
  return {
    candidate: best,
    report: {
      engaged: true,
      seasonalNaiveShare: bestShare,
      recentMaseSelected: chosenRecent,
      recentMaseSeasonalNaive: naiveRecent,
    },
  };
}

function blendWithNaive(
  chosen: BacktestCandidate,
  naive: BacktestCandidate,
  share: number,
  frame: BacktestFrame,
): BacktestCandidate {
  const weights = [1 - share, share];
  const split = chosen.members.length;
  const backtest = chosen.backtest.map((row, k) =>
    weightedMean([row, naive.backtest[k] as number[]], weights),
  );
  return {
    name: `guarded(${chosen.name})`,
    members: [...chosen.members, ...naive.members],
    combine: (forecasts) =>
      weightedMean([chosen.combine(forecasts.slice(0, split)), forecasts[split] as number[]], weights),
    kind: 'combination',
    describe: `${chosen.describe} blended ${Math.round(100 * share)} % towards seasonal naive (guard)`,
    backtest,
    originMase: originMase(backtest, frame),
  };
}
