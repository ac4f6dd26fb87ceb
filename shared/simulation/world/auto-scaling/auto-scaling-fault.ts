import { SimulatedAwsError } from '../simulated-aws-error';

/**
 * Auto Scaling's declared errors by the code its Query API answers, with the name the SDK's
 * exception class gives each (the model's shape: `InstanceRefreshInProgress` →
 * `InstanceRefreshInProgressFault`) and the HTTP status the model declares. An adapter that
 * matched the code would pass here and never match on AWS, so the simulated error carries the
 * SDK's name, as a real one does (the test compares the table with the SDK's classes).
 */
export const AUTO_SCALING_FAULTS = {
  ActiveInstanceRefreshNotFound: { name: 'ActiveInstanceRefreshNotFoundFault', status: 400 },
  AlreadyExists: { name: 'AlreadyExistsFault', status: 400 },
  IdempotentCallInProgress: { name: 'IdempotentCallInProgressFault', status: 500 },
  InstanceRefreshInProgress: { name: 'InstanceRefreshInProgressFault', status: 400 },
  IrreversibleInstanceRefresh: { name: 'IrreversibleInstanceRefreshFault', status: 400 },
  LimitExceeded: { name: 'LimitExceededFault', status: 400 },
  ResourceContention: { name: 'ResourceContentionFault', status: 500 },
  ResourceInUse: { name: 'ResourceInUseFault', status: 400 },
  ScalingActivityInProgress: { name: 'ScalingActivityInProgressFault', status: 400 },
  ServiceLinkedRoleFailure: { name: 'ServiceLinkedRoleFailure', status: 500 },
} as const;

export type AutoScalingFaultCode = keyof typeof AUTO_SCALING_FAULTS;

/** The error the SDK raises when Auto Scaling answers `code` (one of its declared faults). */
export function autoScalingFault(code: AutoScalingFaultCode, message: string): SimulatedAwsError {
  const { name, status } = AUTO_SCALING_FAULTS[code];
  return new SimulatedAwsError(code, message, status, name);
}
