import type { SolverOutcome } from '../core/pricing/read-mix-solution';
import { type MixSolver, SolverUnavailableError } from '../ports/mix-solver';

type HighsModule = { solve(problem: string, options?: Record<string, unknown>): HighsResult };
type HighsResult = {
  Status: string;
  Columns: Record<string, { Primal?: number } | undefined>;
};
type HighsLoader = (options?: {
  locateFile?: (file: string, prefix: string) => string;
}) => Promise<HighsModule>;

const SOLVER = 'HiGHS';
/** A mix of a few hundred candidates solves in milliseconds; this only bounds a pathological model. */
const DEFAULT_TIME_LIMIT_SECONDS = 10;

const FEASIBLE_STATUSES = new Set([
  'Time limit reached',
  'Iteration limit reached',
  'Target for objective reached',
  'Bound on objective reached',
]);

export interface HighsMixSolverOptions {
  /**
   * Directory holding `highs.wasm`. Needed where the loader is bundled away from the package
   * (in Lambda the file ships in a layer under /opt). @default the package's own build directory
   */
  readonly wasmDirectory?: string;
}

/**
 * `MixSolver` on HiGHS compiled to WebAssembly (the `highs` package). The WebAssembly module is
 * loaded once, on first use, and reused; each `solve` runs in a fresh native instance, so solves
 * never share state. Solving is synchronous inside HiGHS and blocks the event loop for its duration.
 */
export class HighsMixSolver implements MixSolver {
  private loading: Promise<HighsModule> | undefined;

  constructor(private readonly options: HighsMixSolverOptions = {}) {}

  async solve(lp: string, options: { readonly timeLimitSeconds?: number } = {}): Promise<SolverOutcome> {
    const highs = await this.load();
    let result: HighsResult;
    try {
      result = highs.solve(lp, {
        output_flag: false,
        time_limit: options.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS,
        // One thread and a fixed seed: the same model gives the same answer on every run.
        threads: 1,
        random_seed: 0,
        // Tight gaps: the model's tie-breaker (fewer types) is worth 1e-6 USD per hour.
        mip_rel_gap: 1e-9,
        mip_abs_gap: 1e-9,
      });
    } catch (error) {
      throw new SolverUnavailableError(SOLVER, `could not solve the model: ${describe(error)}`, {
        cause: error,
      });
    }
    const values: Record<string, number> = {};
    for (const [name, column] of Object.entries(result.Columns ?? {})) {
      if (typeof column?.Primal === 'number') values[name] = column.Primal;
    }
    if (result.Status === 'Optimal') return { status: 'optimal', values };
    if (result.Status === 'Infeasible') return { status: 'infeasible', values: {}, detail: result.Status };
    if (FEASIBLE_STATUSES.has(result.Status) && Object.keys(values).length > 0) {
      return { status: 'feasible', values, detail: result.Status };
    }
    return { status: 'failed', values: {}, detail: result.Status };
  }

  private load(): Promise<HighsModule> {
    if (!this.loading) {
      this.loading = (async () => {
        try {
          // `require`, not `import()`: bundlers resolve `import()` to highs' ES module build, whose
          // `import.meta.url` does not survive bundling into the CommonJS Lambda bundle.
          const loader = require('highs') as HighsLoader;
          const dir = this.options.wasmDirectory;
          return await loader(dir ? { locateFile: (file) => `${dir.replace(/\/$/, '')}/${file}` } : {});
        } catch (error) {
          throw new SolverUnavailableError(
            SOLVER,
            `could not load the WebAssembly module: ${describe(error)}`,
            {
              cause: error,
            },
          );
        }
      })();
      // A failed load is not cached: the next call tries again.
      this.loading.catch(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
