import type { UserConfigInput } from '../../contracts/user-config';
import type { Scenario } from './scenario';

/**
 * The Prescale configuration the simulation deploys: groups enrolled by tag, forecast-and-scale,
 * the scenario's target load per instance on the `cpu` metric (also its SLO), 14 days of history, a 24-hour
 * horizon, the scenario's forecast step and `planForDailyPeaks`. Everything else is the product default.
 */
export function prescaleConfig(
  scenario: Pick<Scenario, 'targetLoadPerInstance' | 'prescaleStepSeconds' | 'planForDailyPeaks'>,
): UserConfigInput {
  return {
    groups: { names: [], tag: { key: 'prescale:enabled', value: 'true' } },
    mode: 'forecast-and-scale',
    scheduleRateMinutes: 5,
    defaults: {
      metric: { kind: 'cpu' },
      targetLoadPerInstance: scenario.targetLoadPerInstance,
      // The simulation's SLO: a run at another target (a tag) still knows the level it is judged by.
      sloLoadPerInstance: scenario.targetLoadPerInstance,
      stepSeconds: scenario.prescaleStepSeconds,
      historyDays: 14,
      horizonHours: 24,
      ...(scenario.planForDailyPeaks === true ? { planForDailyPeaks: true } : {}),
    },
  };
}
