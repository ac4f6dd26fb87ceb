import { builtAt, invocationContext, messagesAt, printedDuring } from '../../helpers/powertools-output';
import { scalingLoopEnvironment } from '../../helpers/scaling-loop-environment';

// What the deployed dispatcher tells an operator about a group `groups.names` names that Auto
// Scaling does not know: DescribeAutoScalingGroups answers such a name with nothing, no error.

type Handler = (event: unknown, context: ReturnType<typeof invocationContext>) => Promise<unknown>;

const WEB_GROUP = {
  AutoScalingGroupName: 'web',
  MinSize: 1,
  MaxSize: 5,
  DesiredCapacity: 1,
  DefaultCooldown: 300,
  AvailabilityZones: ['eu-west-1a'],
  HealthCheckType: 'EC2',
  CreatedTime: new Date('2026-01-01T00:00:00Z'),
};

/**
 * The deployed dispatcher module, loaded for a configuration naming `names`, in a module registry
 * of its own whose Auto Scaling knows `web` alone (answering only the names it knows, as AWS does).
 */
function dispatcherNaming(names: readonly string[]): Handler {
  return builtAt('INFO', () => {
    Object.assign(process.env, scalingLoopEnvironment({ groups: { names } }));
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      const { mockClient } = require('aws-sdk-client-mock') as typeof import('aws-sdk-client-mock');
      const autoScaling =
        require('@aws-sdk/client-auto-scaling') as typeof import('@aws-sdk/client-auto-scaling');
      const sqs = require('@aws-sdk/client-sqs') as typeof import('@aws-sdk/client-sqs');
      const dynamo = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
      const ssm = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
      mockClient(autoScaling.AutoScalingClient)
        .on(autoScaling.DescribeAutoScalingGroupsCommand)
        .callsFake((input: { AutoScalingGroupNames?: string[] }) => ({
          AutoScalingGroups: (input.AutoScalingGroupNames ?? []).includes('web') ? [WEB_GROUP] : [],
        }));
      mockClient(sqs.SQSClient)
        .on(sqs.SendMessageBatchCommand)
        .resolves({ Successful: [{ Id: '0', MessageId: 'm-1', MD5OfMessageBody: 'md5' }], Failed: [] });
      mockClient(dynamo.DynamoDBClient).on(dynamo.GetItemCommand).resolves({});
      mockClient(ssm.SSMClient)
        .on(ssm.GetParameterCommand)
        .resolves({ Parameter: { Name: '/prescale/kill', Type: 'String', Value: 'running', Version: 1 } });
      handler = require('../../../functions/dispatch-scaling-run/handler').handler as Handler;
    });
    return handler as Handler;
  });
}

/** What one dispatch printed: its result, log lines and embedded-metric-format documents. */
async function dispatchOnce(handler: Handler) {
  let result: unknown;
  const lines = await printedDuring(async () => {
    result = await handler({ scheduledTime: '2026-03-01T10:07:31Z' }, invocationContext('r1'));
  });
  return { result, lines, documents: lines.filter((line) => '_aws' in line) };
}

const dimensionSetsOf = (document: Record<string, unknown>): string[][] =>
  (document._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics.flatMap(
    (directive) => directive.Dimensions,
  );

describe('dispatch-scaling-run handler and a named group Auto Scaling does not know', () => {
  it('warns naming it and what to check, and counts it among the fleet metrics', async () => {
    const { result, lines, documents } = await dispatchOnce(dispatcherNaming(['web', 'api']));
    expect(result).toMatchObject({ enrolledGroups: 1, enqueued: 1, namedGroupsNotFound: ['api'] });
    const warning = lines.find((line) => line.message === 'named groups not found');
    expect(warning).toMatchObject({
      level: 'WARN',
      namedGroupsNotFound: ['api'],
      check: expect.stringMatching(/spelling.*region.*deleted/),
    });
    const fleet = documents.find((document) => 'StaleGroups' in document) ?? {};
    // Beside StaleGroups, with its dimensions: the alarm watches the deployment's fleet metrics.
    expect(fleet).toMatchObject({ NamedGroupsNotFound: 1, StaleGroups: 0 });
    expect(dimensionSetsOf(fleet)).toEqual([['service', 'deployment']]);
  });

  it('counts 0 every tick when every named group exists, and warns of none', async () => {
    const { lines, documents } = await dispatchOnce(dispatcherNaming(['web']));
    expect(messagesAt(lines, 'WARN')).toEqual([]);
    expect(documents.find((document) => 'StaleGroups' in document)).toMatchObject({ NamedGroupsNotFound: 0 });
  });
});
