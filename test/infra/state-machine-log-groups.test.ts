import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PrescaleStack } from '../../infra/stacks/prescale-stack';
import { synthesizedTemplate, TEST_CONFIG, TEST_STACK_NAME } from '../helpers/build-test-app';
import { testOutdir } from '../helpers/test-temp-root';

type Resource = { Type: string; Properties?: Record<string, unknown> };
type LogDestination = { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [string, string] } } };

/** Each state machine's logical ID with the LogGroupName of the log group it logs to. */
function machineLogGroupNames(resources: Record<string, Resource>): [string, unknown][] {
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')
    .flatMap(([id, r]) =>
      ((r.Properties?.LoggingConfiguration as { Destinations?: LogDestination[] })?.Destinations ?? []).map(
        (d): [string, unknown] => [
          id,
          resources[d.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0]]?.Properties?.LogGroupName,
        ],
      ),
    );
}

describe('state machine log groups', () => {
  const resources = synthesizedTemplate().toJSON().Resources as Record<string, Resource>;

  it('are named under /aws/vendedlogs/states/, which keeps them out of the account’s CloudWatch Logs resource policy', () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html
    const names = machineLogGroupNames(resources);
    expect(names).toHaveLength(2);
    for (const [machine, name] of names) {
      expect({ machine, name }).toEqual({
        machine,
        name: expect.stringMatching(/^\/aws\/vendedlogs\/states\//),
      });
      // CloudWatch Logs: 1–512 characters of [.\-_/#A-Za-z0-9].
      expect({ machine, name }).toEqual({
        machine,
        name: expect.stringMatching(/^[.\-_/#A-Za-z0-9]{1,512}$/),
      });
    }
    expect(new Set(names.map(([, name]) => name)).size).toBe(names.length);
  });

  it('differ between two deployments in one account, whose construct id is the same (infra/app.ts)', () => {
    const app = new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new PrescaleStack(app, TEST_STACK_NAME, {
      stackName: 'PrescaleTwo',
      config: TEST_CONFIG,
      configSource: 'test config',
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    const other = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
    const ours = new Set(machineLogGroupNames(resources).map(([, name]) => name));
    for (const [, name] of machineLogGroupNames(other)) expect(ours).not.toContain(name);
  });
});
