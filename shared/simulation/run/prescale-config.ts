import type { UserConfigInput } from '../../contracts/user-config';
import type { Scenario } from './scenario';

/**
 * The Prescale configuration the simulation deploys: groups enrolled by tag, forecast-and-scale,
 * the scenario's target load per instance on the `cpu` metric, 14 days of history, a 24-hour
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
      stepSeconds: scenario.prescaleStepSeconds,
      historyDays: 14,
      horizonHours: 24,
      ...(scenario.planForDailyPeaks === true ? { planForDailyPeaks: true } : {}),
    },
  };
}
