import {
  API,
  type DependencyScenarioResult,
  runDependencyScenario,
  WEB,
} from '../../../../shared/simulation/scenarios/dependency-scenario';

const MINUTE_MS = 60_000;

describe('runDependencyScenario (real handlers, web → api, campaign on web only)', () => {
  let result: DependencyScenarioResult;
  let spikeMinute: number;

  beforeAll(async () => {
    result = await runDependencyScenario();
    spikeMinute = (result.built.spikeStartMs - result.built.scenario.evalStartMs) / MINUTE_MS;
  });

  it('keeps api within its SLO with the graph and not without it', () => {
    const withGraph = result.withGraph.groups[API]?.sloViolationMinutes ?? Number.NaN;
    const withoutGraph = result.withoutGraph.groups[API]?.sloViolationMinutes ?? Number.NaN;
    expect(withGraph).toBeLessThanOrEqual(10);
    expect(withGraph).toBeLessThan(withoutGraph);
  });

  it("raises api before web's spike only when the graph propagates web's campaign", () => {
    const api = (run: DependencyScenarioResult['withGraph']) => run.groups[API];
    const demand = api(result.withGraph)?.demand[spikeMinute] as number;
    expect(api(result.withGraph)?.supply[spikeMinute]).toBeGreaterThanOrEqual(demand);
    expect(api(result.withoutGraph)?.supply[spikeMinute]).toBeLessThan(demand);
  });

  it('keeps web, which knows its campaign, within its SLO either way', () => {
    expect(result.withGraph.groups[WEB]?.sloViolationMinutes).toBe(0);
    expect(result.withoutGraph.groups[WEB]?.sloViolationMinutes).toBe(0);
    expect(result.withGraph.handlerErrors).toEqual([]);
  });
});
