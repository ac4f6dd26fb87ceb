import {
  AwsRequestChecks,
  installAwsRequestChecks,
} from '../../../shared/simulation/aws-checks/aws-request-checks';
import { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import { faultScenario, runFaultScenario } from '../../../shared/simulation/faults/run-fault-scenario';
import { prescaleConfig } from '../../../shared/simulation/run/prescale-config';
import { PrescaleLambdas } from '../../../shared/simulation/run/prescale-lambdas';
import { sendCampaignEvent } from '../../../shared/simulation/scenarios/campaign-lambda';
import { campaignScheduledEvent } from '../../../shared/simulation/scenarios/campaign-scenario';
import { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';
import { DEPLOY_REGION, synthConfiguration } from './deploy-configurations';

const HOUR_MS = 3_600_000;

describe('the simulation run as deployed (IAM of the synthesized template, API models)', () => {
  const config = prescaleConfig(faultScenario(1));
  let lambdas: PrescaleLambdas;
  let checks: AwsRequestChecks;

  beforeAll(async () => {
    const { template } = synthConfiguration({ name: 'simulation', config });
    checks = new AwsRequestChecks(new DeployedAccount(template, { region: DEPLOY_REGION }), config);
    lambdas = await PrescaleLambdas.start(config);
    installAwsRequestChecks(checks);
  });

  afterAll(async () => {
    installAwsRequestChecks(undefined);
    await lambdas.stop();
  });

  it('runs the scaling loop on two groups with every request allowed and well-formed', async () => {
    const result = await runFaultScenario(lambdas, { seed: 1, hours: 1, groups: 2 });
    expect(result.invariants.filter((i) => !i.held)).toEqual([]);
    expect(result.handlerErrors).toEqual([]);
    expect(checks.ledger.decisions.size).toBeGreaterThan(0);
    // DynamoDB (served in-process by dynalite) is authorized as the worker's deployed role too.
    const actions = [...checks.ledger.decisions.values()].map((d) => `${d.principal} ${d.action}`);
    expect(actions).toEqual(
      expect.arrayContaining(['scale-groups dynamodb:PutItem', 'scale-groups dynamodb:Query']),
    );
  });

  it('receives a campaign and schedules its pre-warm with every request allowed and well-formed', async () => {
    const startMs = faultScenario(1).evalStartMs;
    const world = new SimulatedWorld({ startMs, seed: 1 });
    world.createGroup({
      name: 'web',
      minSize: 1,
      maxSize: 20,
      desiredCapacity: 2,
      instanceType: 'm7g.large',
      tags: { 'prescale:enabled': 'true' },
      launchDelaySeconds: 60,
      launchJitterSeconds: 0,
      warmupSeconds: 60,
      warmPoolLaunchSeconds: 30,
    });
    await lambdas.attach(world);
    const event = campaignScheduledEvent('sale-1', ['web'], startMs + 6 * HOUR_MS, startMs + 8 * HOUR_MS, 3);
    const result = (await sendCampaignEvent(lambdas, world, event)) as { kind?: string };
    expect(result.kind).toBe('applied');
  });

  it('saw no denied needed call, no malformed request, and no call missing from the handlers’ call lists', () => {
    expect(checks.neededDenies()).toEqual([]);
    expect(checks.ledger.violations).toEqual([]);
    expect(checks.unlistedCalls()).toEqual([]);
  });
});
