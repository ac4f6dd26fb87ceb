import { SimulatedAwsError } from '../simulated-aws-error';

/** The processes SuspendProcesses and ResumeProcesses take (API reference, SuspendProcesses). */
const SCALING_PROCESSES: ReadonlySet<string> = new Set([
  'Launch',
  'Terminate',
  'AddToLoadBalancer',
  'AlarmNotification',
  'AZRebalance',
  'HealthCheck',
  'InstanceRefresh',
  'ReplaceUnhealthy',
  'ScheduledActions',
]);

/**
 * The processes a SuspendProcesses or ResumeProcesses call acts on: those it names, or every one
 * when it names none. @throws SimulatedAwsError ValidationError on a process Auto Scaling does not have.
 */
export function scalingProcesses(named: readonly string[] | undefined): readonly string[] {
  if (named === undefined || named.length === 0) return [...SCALING_PROCESSES];
  const unknown = named.filter((p) => !SCALING_PROCESSES.has(p));
  if (unknown.length > 0)
    throw new SimulatedAwsError(
      'ValidationError',
      `Invalid scaling process(es) ${unknown.join(', ')}; expected one of ${[...SCALING_PROCESSES].join(', ')}.`,
    );
  return named;
}
