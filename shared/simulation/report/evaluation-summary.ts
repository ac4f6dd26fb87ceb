import type { Evaluation } from '../run/evaluate-policies';
import type { PolicySummary } from '../run/policy-run';

/** The `--json` document: the trace and scenario, then one entry per policy. */
export interface EvaluationSummary {
  readonly trace: {
    readonly name: string;
    readonly source: string;
    readonly evalStart: string;
    readonly evalEnd: string;
    readonly evaluatedMinutes: number;
    readonly historyStart: string;
    readonly targetLoadPerInstance: number;
    readonly instanceType: string;
    readonly launchDelaySeconds: number;
    readonly launchJitterSeconds: number;
    readonly warmupSeconds: number;
    readonly warmPool: boolean;
    readonly maxSize: number;
    readonly prescaleStepSeconds: number;
    readonly seed: number;
  };
  readonly policies: readonly PolicySummary[];
}

const round = (x: number, digits = 3) =>
  Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x;

/** Builds the machine-readable summary of an evaluation (numbers rounded to 3 decimals). */
export function evaluationSummary(evaluation: Evaluation): EvaluationSummary {
  const s = evaluation.scenario;
  return {
    trace: {
      name: s.trace.name,
      source: s.source,
      evalStart: new Date(s.evalStartMs).toISOString(),
      evalEnd: new Date(s.evalEndMs).toISOString(),
      evaluatedMinutes: Math.round((s.evalEndMs - s.evalStartMs) / 60_000),
      historyStart: new Date(s.trace.startMs).toISOString(),
      targetLoadPerInstance: s.targetLoadPerInstance,
      instanceType: s.instanceType,
      launchDelaySeconds: s.launchDelaySeconds,
      launchJitterSeconds: s.launchJitterSeconds,
      warmupSeconds: s.warmupSeconds,
      warmPool: s.warmPool,
      maxSize: s.maxSize,
      prescaleStepSeconds: s.prescaleStepSeconds,
      seed: s.seed,
    },
    policies: evaluation.runs.map(({ summary: p }) => ({
      name: p.name,
      thetaU: round(p.thetaU),
      thetaO: round(p.thetaO),
      tauU: round(p.tauU),
      tauO: round(p.tauO),
      instability: round(p.instability),
      sloViolationMinutes: p.sloViolationMinutes,
      instanceHours: round(p.instanceHours),
      costUsd: round(p.costUsd, 2),
      scalingActions: p.scalingActions,
      ...(p.forecast
        ? {
            forecast: {
              mae: round(p.forecast.mae),
              maePct: round(p.forecast.maePct),
              mase: round(p.forecast.mase),
              points: p.forecast.points,
              horizon: p.forecast.horizon,
              horizonLabel: p.forecast.horizonLabel,
              ...(p.forecast.peaks
                ? {
                    peaks: {
                      days: p.forecast.peaks.days,
                      peakMae: round(p.forecast.peaks.peakMae),
                      naivePeakMae: round(p.forecast.peaks.naivePeakMae),
                      peakMaeRatio: round(p.forecast.peaks.peakMaeRatio),
                      timingErrorHours: round(p.forecast.peaks.timingErrorHours),
                      plannedCoversPeak: round(p.forecast.peaks.plannedCoversPeak),
                    },
                  }
                : {}),
            },
          }
        : {}),
    })),
  };
}
