import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ENV } from '../../../shared/contracts/env';
import { answerMaintenanceScan } from '../../helpers/maintenance-scan-aws';
import { lambdaContext as context } from '../../helpers/powertools-output';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:RollingUpdate';
const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const sfn = mockClient(SFNClient);
const ssm = mockClient(SSMClient);

beforeAll(() => {
  process.env[ENV.config] = JSON.stringify({
    mode: 'forecast-and-scale',
    groups: { names: ['a-api', 'b-web'] },
    rollingUpdate: { autoStartOnScheduledEvents: true },
  });
  process.env[ENV.deployment] = 'Prescale';
  process.env[ENV.stateTableName] = 'state';
  process.env[ENV.rollingUpdateStateMachineArn] = STATE_MACHINE;
  process.env[ENV.killSwitchParameterName] = '/prescale/kill';
});

beforeEach(() => answerMaintenanceScan({ asg, ec2, sfn, ssm }, Date.now()));

describe('find-scheduled-maintenance handler', () => {
  it("starts the other groups' refreshes when one group's start fails, then fails the scan naming it", async () => {
    const denied = Object.assign(new Error('not authorized'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    sfn.on(StartExecutionCommand).callsFake(async (input: { name: string }) => {
      if (input.name.startsWith('a-api-')) throw denied;
      return {
        executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${input.name}`,
        startDate: new Date(),
      };
    });
    const { handler } = await import('../../../functions/find-scheduled-maintenance/handler');
    await expect(handler({}, context)).rejects.toThrow(
      /^scheduled-maintenance scan failed for a-api \(.*not authorized\)$/,
    );
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE,
      name: expect.stringMatching(/^b-web-v6-/),
    });
  });

  it('rejects a key the scan does not take, naming it, instead of scanning every enrolled group', async () => {
    const { handler } = await import('../../../functions/find-scheduled-maintenance/handler');
    await expect(handler({ groupNames: ['a-api'] }, context)).rejects.toThrow(
      /Unrecognized key: "groupNames"/,
    );
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});
