import {
  type FaultScenarioResult,
  faultScenario,
  runFaultScenario,
} from '../../../../shared/simulation/faults/run-fault-scenario';
import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';
import { PrescaleLambdas } from '../../../../shared/simulation/run/prescale-lambdas';
import { withInstantTimers } from '../../../helpers/instant-timers';

function failed(result: FaultScenarioResult) {
  return result.invariants.filter((i) => !i.held);
}

describe('fault injection: transport faults on the real handlers', () => {
  let lambdas: PrescaleLambdas;

  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(prescaleConfig(faultScenario(1)));
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it('keeps every invariant with 20 % of calls throttled, the SDK retrying them', async () => {
    // The SDK's adaptive retries wait ~1 s per throttle: on the fake clock, and the horizon short.
    const result = await withInstantTimers(() =>
      runFaultScenario(lambdas, { seed: 1, hours: 1 / 3, transport: { throttleShare: 0.2 } }),
    );
    expect(failed(result)).toEqual([]);
    expect(result.counters.throttlesInjected).toBeGreaterThan(0);
    expect(result.handlerErrors).toEqual([]);
  });

  it('keeps every invariant with gaps and NaN in GetMetricData results', async () => {
    // The clients' rate limiters remember the throttles above (as a warm Lambda's would).
    const result = await withInstantTimers(() =>
      runFaultScenario(lambdas, {
        seed: 2,
        hours: 2,
        transport: { metricGapShare: 0.1, metricNaNShare: 0.05 },
      }),
    );
    expect(failed(result)).toEqual([]);
    expect(result.counters.metricPointsDropped).toBeGreaterThan(0);
    expect(result.counters.metricPointsNaN).toBeGreaterThan(0);
    expect(result.failedItems).toBe(0);
  });
});
