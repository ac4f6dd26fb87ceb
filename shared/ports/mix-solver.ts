import type { SolverOutcome } from '../core/pricing/read-mix-solution';

/** A mixed-integer programming solver for the models `buildMixModel` writes. */
export interface MixSolver {
  /**
   * Solves a model in CPLEX LP format. Optimization outcomes (infeasible, time limit) are values
   * in the result's `status`.
   * @throws SolverUnavailableError when the solver cannot be loaded or cannot read the model.
   */
  solve(lp: string, options?: { readonly timeLimitSeconds?: number }): Promise<SolverOutcome>;
}

/** The solver could not be loaded or could not run; callers fall back to the greedy mix. */
export class SolverUnavailableError extends Error {
  override readonly name = 'SolverUnavailableError' as const;
  constructor(
    readonly solver: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${solver} is unavailable: ${reason}`, options);
  }
}
