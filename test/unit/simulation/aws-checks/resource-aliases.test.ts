import { ENV } from '../../../../shared/contracts/env';
import { aliased, resourceAliases } from '../../../../shared/simulation/aws-checks/resource-aliases';

const TARGET = { partition: 'aws', region: 'us-east-1', account: '123456789012' };
const MACHINE = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;

describe('resourceAliases', () => {
  const aliases = resourceAliases(
    { [ENV.rollingUpdateStateMachineArn]: MACHINE('prescale-rolling-update') },
    { [ENV.rollingUpdateStateMachineArn]: MACHINE('RollingUpdatesStateMachine91C75DCF') },
    TARGET,
  );

  it("maps the simulated state machine onto the deployed one, and its executions onto the deployed one's", () => {
    expect(aliased(MACHINE('prescale-rolling-update'), aliases)).toBe(
      MACHINE('RollingUpdatesStateMachine91C75DCF'),
    );
    expect(
      aliased('arn:aws:states:us-east-1:123456789012:execution:prescale-rolling-update:web-v7', aliases),
    ).toBe('arn:aws:states:us-east-1:123456789012:execution:RollingUpdatesStateMachine91C75DCF:web-v7');
  });

  it("leaves another state machine's executions as they are, even one whose name starts alike", () => {
    const other = 'arn:aws:states:us-east-1:123456789012:execution:prescale-rolling-update-2:web-v7';
    expect(aliased(other, aliases)).toBe(other);
  });
});
