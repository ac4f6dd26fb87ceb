/** SPEC Research Group elasticity metrics of one run, all in percent. */
export interface ElasticityMetrics {
  /** Under-provisioning accuracy θU: mean relative shortfall (d − s)⁺ / d, % . */
  readonly thetaU: number;
  /** Over-provisioning accuracy θO: mean relative excess (s − d)⁺ / d, %. */
  readonly thetaO: number;
  /** Under-provisioning time share τU: % of time with s < d. */
  readonly tauU: number;
  /** Over-provisioning time share τO: % of time with s > d. */
  readonly tauO: number;
  /** Instability υ: % of time in which supply and demand do not move in the same direction. */
  readonly instability: number;
}

/**
 * The elasticity metrics of Herbst et al. ("Ready for Rain? A View from SPEC Research on the
 * Future of Cloud Metrics", SPEC RG tech report 2016) as used by Bauer et al. (TOMPECS 2019),
 * for equally spaced samples (Δt constant, so time weights cancel):
 *
 *   θU = 100/T · Σ (d_t − s_t)⁺ / d_t · Δt        θO = 100/T · Σ (s_t − d_t)⁺ / d_t · Δt
 *   τU = 100/T · Σ 1[d_t > s_t] · Δt                τO = 100/T · Σ 1[s_t > d_t] · Δt
 *   υ  = 100/(T − Δt) · Σ_{t≥2} min(|sgn Δs_t − sgn Δd_t|, 1) · Δt
 *
 * `demand` d_t is the instances needed to meet the SLO (≥ 1), `supply` s_t the instances serving.
 * @throws RangeError when the series differ in length, are empty, or a demand is not positive.
 */
export function elasticityMetrics(demand: readonly number[], supply: readonly number[]): ElasticityMetrics {
  if (demand.length !== supply.length || demand.length === 0) {
    throw new RangeError(
      `demand and supply must be non-empty and equally long, got ${demand.length} and ${supply.length}`,
    );
  }
  let under = 0;
  let over = 0;
  let underSteps = 0;
  let overSteps = 0;
  let unstable = 0;
  for (let t = 0; t < demand.length; t += 1) {
    const d = demand[t] as number;
    const s = supply[t] as number;
    if (!(d > 0)) throw new RangeError(`demand at step ${t} must be positive, got ${d}`);
    if (d > s) {
      under += (d - s) / d;
      underSteps += 1;
    } else if (s > d) {
      over += (s - d) / d;
      overSteps += 1;
    }
    if (t > 0) {
      const ds = Math.sign(s - (supply[t - 1] as number));
      const dd = Math.sign(d - (demand[t - 1] as number));
      unstable += Math.min(Math.abs(ds - dd), 1);
    }
  }
  const n = demand.length;
  return {
    thetaU: (100 * under) / n,
    thetaO: (100 * over) / n,
    tauU: (100 * underSteps) / n,
    tauO: (100 * overSteps) / n,
    instability: n > 1 ? (100 * unstable) / (n - 1) : 0,
  };
}
