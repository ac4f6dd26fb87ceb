import type { UserConfigInput } from '../../contracts/user-config';
import { loadUnitsPerPct, prescaleHistoryConfig } from './prescale-history';
import type { Scenario } from './scenario';

/** The one group every run enrols (by tag); its metric names are what a non-CPU source reads. */
const GROUP = 'web';

/**
 * The Prescale configuration the simulation deploys: groups enrolled by tag, forecast-and-scale,
 * the scenario's target load per instance on its history source's metric (`cpu` from CloudWatch
 * unless `prescaleHistory` says otherwise; also its SLO, both in that metric's unit), 14 days of
 * history, a 24-hour horizon, the scenario's forecast step and `planForDailyPeaks`. Everything
 * else is the product default.
 */
export function prescaleConfig(
  scenario: Pick<
    Scenario,
    'targetLoadPerInstance' | 'prescaleStepSeconds' | 'planForDailyPeaks' | 'prescaleHistory'
  >,
): UserConfigInput {
  const source = scenario.prescaleHistory ?? 'cloudwatch-cpu';
  const { metric, saturatedLoadPerInstance, ...history } = prescaleHistoryConfig(source, GROUP);
  const target = scenario.targetLoadPerInstance * loadUnitsPerPct(source, scenario.prescaleStepSeconds);
  return {
    groups: { names: [], tag: { key: 'prescale:enabled', value: 'true' } },
    mode: 'forecast-and-scale',
    scheduleRateMinutes: 5,
    ...history,
    defaults: {
      metric,
      ...(saturatedLoadPerInstance !== undefined ? { saturatedLoadPerInstance } : {}),
      targetLoadPerInstance: target,
      // The simulation's SLO: a run at another target (a tag) still knows the level it is judged by.
      sloLoadPerInstance: target,
      stepSeconds: scenario.prescaleStepSeconds,
      historyDays: 14,
      horizonHours: 24,
      ...(scenario.planForDailyPeaks === true ? { planForDailyPeaks: true } : {}),
    },
  };
}
