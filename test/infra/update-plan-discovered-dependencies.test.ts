import type { UserConfigInput } from '../../shared/contracts/user-config';
import { buildTestApp, synthesizedTemplate } from '../helpers/build-test-app';
import { updatePlanDynamoActions } from '../helpers/update-plan-dynamo-actions';
import { extractDefinition } from './rolling-update-harness';
import { settleExecution } from './rolling-update-run';
import { startUpdatePlan } from './update-plan-harness';
import { CONFIG_INPUT, type Json, PLAN, PlanWorld, T0 } from './update-plan-world';

/*
 * With `dependencies.xray.enabled` the plan reads the discovery the scaling loop stored before it
 * computes (Lambda read-plan-discovery, so the planner needs no DynamoDB client; only the edges
 * among the plan's groups, so the state stays small), and plans with it: here web → api is known
 * only from X-Ray.
 */
const XRAY_CONFIG: UserConfigInput = {
  ...CONFIG_INPUT,
  dependencies: {
    edges: [{ from: 'api', to: 'db' }],
    xray: {
      enabled: true,
      serviceToGroup: { 'web-frontend': 'web', 'orders-api': 'api', 'orders-db': 'db' },
    },
  },
};
const { template: getTemplate } = buildTestApp(XRAY_CONFIG);
const template = getTemplate();
const definition = extractDefinition(template, 'PrescaleUpdatePlans');
const states = definition.States as Record<string, Json>;

/** web and api to version 7, both allowed in one slot: only a dependency keeps them apart. */
const request = {
  groups: ['web', 'api'].map((groupName) => ({ groupName, launchTemplateVersion: '7' })),
  maxConcurrentUpdates: 2,
  deadline: new Date(T0 + 6 * 3_600_000).toISOString(),
};

async function slotsOfRun(world: PlanWorld, machine: Json): Promise<Map<string, string>> {
  const execution = startUpdatePlan(machine, request, world.handlers(), {
    name: PLAN,
    arn: `arn:aws:states:eu-west-1:123456789012:execution:UpdatePlans:${PLAN}`,
    startTime: new Date(T0).toISOString(),
  });
  expect(await settleExecution(execution, world.entered)).toMatchObject({ ok: true });
  // Children are named <plan>-s<slot>-<group>.
  return new Map(world.children.map((c) => [String(c.input.groupName), c.name.match(/-s(\d+)-/)?.[1] ?? '']));
}

describe('UpdatePlanWorkflow with X-Ray discovery', () => {
  it('reads the stored discovery before computing the plan, and passes it to the planner; without X-Ray, reads none', () => {
    expect(states['Read campaign calendar']).toMatchObject({ Next: 'Read discovered dependencies' });
    expect(states['Read discovered dependencies']).toMatchObject({
      Type: 'Task',
      Resource: expect.stringMatching(/^arn:aws:lambda:.*readplandiscovery/),
      Parameters: { 'request.$': '$$.Execution.Input' },
      ResultPath: '$.discovery',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Could not compute plan' }],
      Next: 'Compute plan',
    });
    expect(states['Compute plan']).toMatchObject({
      Parameters: { 'request.$': '$$.Execution.Input', 'discovery.$': '$.discovery' },
    });
    const withoutXRay = extractDefinition(synthesizedTemplate(CONFIG_INPUT), 'PrescaleUpdatePlans');
    expect((withoutXRay.States as Record<string, Json>)['Read campaign calendar']).toMatchObject({
      Next: 'Compute plan',
    });
    expect(JSON.stringify(withoutXRay)).not.toMatch(/readplandiscovery|discovery/);
    expect(JSON.stringify(synthesizedTemplate(CONFIG_INPUT))).not.toMatch(/readplandiscovery/);
  });

  it('lets read-plan-discovery alone read the discovery: GetItem, nothing else; the state machine only records', () => {
    expect(updatePlanDynamoActions(template, 'readplandiscovery')).toEqual(['dynamodb:GetItem']);
    expect(updatePlanDynamoActions(template, 'StateMachineRole')).toEqual(['dynamodb:PutItem']);
    expect(updatePlanDynamoActions(template, 'computeupdateplan')).toEqual([]);
  });

  it('keeps web and api, which only X-Ray shows dependent, in different slots; together without a discovery', async () => {
    const world = new PlanWorld(XRAY_CONFIG);
    await world.discoveredDependencies.putDiscovery(
      { discoveredAtMs: T0 - 3_600_000, edges: [{ from: 'web', to: 'api', requestCount: 1200 }] },
      T0 + 86_400_000,
    );
    const slots = await slotsOfRun(world, definition);
    expect(world.entered).toContain('Read discovered dependencies');
    expect(slots.get('web')).not.toBe(slots.get('api'));
    const undiscovered = await slotsOfRun(new PlanWorld(XRAY_CONFIG), definition);
    expect(undiscovered.get('web')).toBe(undiscovered.get('api'));
  });

  it("hands the planner only the discovered edges between the plan's groups", async () => {
    const world = new PlanWorld(XRAY_CONFIG);
    const outside = Array.from({ length: 1_500 }, (_, i) => ({
      from: `svc-${i}`,
      to: i % 2 === 0 ? 'web' : 'db',
      requestCount: 10 + i,
    }));
    await world.discoveredDependencies.putDiscovery(
      { discoveredAtMs: T0 - 3_600_000, edges: [...outside, { from: 'web', to: 'api', requestCount: 1200 }] },
      T0 + 86_400_000,
    );
    const handlers = world.handlers();
    const handedOn: unknown[] = [];
    const compute = handlers['Compute plan'] as (input: unknown) => Promise<unknown>;
    handlers['Compute plan'] = async (input) => {
      handedOn.push((input as { discovery?: unknown }).discovery);
      return compute(input);
    };
    const execution = startUpdatePlan(definition, request, handlers, {
      name: PLAN,
      arn: `arn:aws:states:eu-west-1:123456789012:execution:UpdatePlans:${PLAN}`,
      startTime: new Date(T0).toISOString(),
    });
    expect(await settleExecution(execution, world.entered)).toMatchObject({ ok: true });
    expect(handedOn).toEqual([
      { discoveredAtMs: T0 - 3_600_000, edges: [{ from: 'web', to: 'api', requestCount: 1200 }] },
    ]);
  });
});
