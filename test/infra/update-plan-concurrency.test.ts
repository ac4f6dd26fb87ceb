import { buildTestApp, TEST_CONFIG } from '../helpers/build-test-app';
import { extractDefinition } from './rolling-update-harness';
import type { Json } from './update-plan-world';

describe('UpdatePlanWorkflow and rollingUpdate.planMaxConcurrentUpdates', () => {
  it('runs at most the configured number of a slot’s groups at once, not the default 2', () => {
    const { template } = buildTestApp({ ...TEST_CONFIG, rollingUpdate: { planMaxConcurrentUpdates: 5 } });
    const definition = extractDefinition(template(), 'PrescaleUpdatePlans');
    expect((definition.States as Json)['Run slot']).toMatchObject({ MaxConcurrency: 5 });
  });
});
