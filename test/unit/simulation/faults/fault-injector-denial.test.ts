import { isPermissionRefusal } from '../../../../shared/core/rolling-update/permission-refusal';
import { stepFunctionsErrorName } from '../../../../shared/simulation/aws-checks/step-functions-errors';
import { FaultInjector } from '../../../../shared/simulation/faults/fault-injector';
import { seededRandom } from '../../../../shared/simulation/seeded-random';

/** The world's answer behind the injector: every call that reaches it succeeds. */
const world = async () => ({ reached: true });

describe('FaultInjector failMatching asDenied', () => {
  it('refuses RollbackInstanceRefresh as IAM does through Auto Scaling: AccessDenied, which the rollback branch takes for a permission refusal', async () => {
    const injector = new FaultInjector({}, seededRandom(1));
    injector.failMatching(
      (service, command) => service === 'autoscaling' && command === 'RollbackInstanceRefreshCommand',
      {
        asDenied: true,
      },
    );
    const error = await injector
      .answer('autoscaling', 'RollbackInstanceRefreshCommand', { AutoScalingGroupName: 'web' }, world)
      .catch((e: unknown) => e as Error & { $metadata: { httpStatusCode: number } });
    expect(error).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect((error as Error).message).toContain(
      'is not authorized to perform: autoscaling:RollbackInstanceRefresh',
    );
    // Not in Auto Scaling's model: Step Functions raises it under the service's generic name.
    const failure = {
      Error: stepFunctionsErrorName('autoscaling', (error as Error).name),
      Cause: (error as Error).message,
    };
    expect(failure.Error).toBe('AutoScaling.AutoScalingException');
    expect(isPermissionRefusal(failure)).toBe(true);
    await expect(
      injector.answer('autoscaling', 'DescribeInstanceRefreshesCommand', {}, world),
    ).resolves.toEqual({
      reached: true,
    });
    expect(injector.counters.failuresInjected).toBe(1);
  });

  it("answers EC2's UnauthorizedOperation, and without asDenied the generic AccessDeniedException as before", async () => {
    const injector = new FaultInjector({}, seededRandom(1));
    injector.failMatching((service) => service === 'ec2', { asDenied: true });
    await expect(injector.answer('ec2', 'RunInstancesCommand', {}, world)).rejects.toMatchObject({
      name: 'UnauthorizedOperation',
    });
    injector.failMatching((service) => service === 'ec2');
    await expect(injector.answer('ec2', 'RunInstancesCommand', {}, world)).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: 'injected failure of RunInstancesCommand',
    });
  });
});
