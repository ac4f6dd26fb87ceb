import * as autoScaling from '@aws-sdk/client-auto-scaling';
import {
  AUTO_SCALING_FAULTS,
  autoScalingFault,
} from '../../../../shared/simulation/world/auto-scaling/auto-scaling-fault';

type ExceptionClass = new (opts: {
  message: string;
  $metadata: object;
}) => Error & { $fault: 'client' | 'server' };

describe('autoScalingFault', () => {
  it.each(Object.entries(AUTO_SCALING_FAULTS))(
    'names %s as the SDK’s exception class does, with its fault side',
    (code, { name, status }) => {
      const sdkClass = (autoScaling as unknown as Record<string, ExceptionClass | undefined>)[name];
      expect(sdkClass).toBeDefined();
      const real = new (sdkClass as ExceptionClass)({ message: 'm', $metadata: {} });
      const simulated = autoScalingFault(code as keyof typeof AUTO_SCALING_FAULTS, 'm');
      expect(simulated.name).toBe(real.name);
      expect(simulated.$fault).toBe(real.$fault);
      expect(simulated.$metadata.httpStatusCode).toBe(status);
      expect(simulated.Code).toBe(code);
    },
  );

  it('covers every fault class the SDK declares for Auto Scaling', () => {
    const declared = Object.keys(autoScaling).filter(
      (k) => /Fault$|Failure$/.test(k) && typeof (autoScaling as Record<string, unknown>)[k] === 'function',
    );
    expect(Object.values(AUTO_SCALING_FAULTS).map((f) => f.name)).toEqual(expect.arrayContaining(declared));
  });
});
