/** A workflow step's failure as Step Functions reports it. */
export interface StepFailure {
  readonly Error: string;
  readonly Cause?: string | undefined;
}

/**
 * Whether a step failed because its caller may not make the call: IAM's denial as each service
 * reports it. The name alone does not tell, since Step Functions raises an error the service's API
 * model does not declare under the service's generic name (Auto Scaling's `AccessDenied` is
 * `AutoScaling.AutoScalingException`), so the Cause's error code and IAM's wording count too.
 * EC2 calls its own `UnauthorizedOperation` ("You are not authorized to perform this operation"),
 * and an SCP's denial reads as IAM's ("… is not authorized to perform: … with an explicit deny in a
 * service control policy").
 */
export function isPermissionRefusal(failure: StepFailure): boolean {
  if (/(^|\.)(AccessDenied(Exception)?|UnauthorizedOperation)$/.test(failure.Error)) return true;
  return /Error Code: (AccessDenied|UnauthorizedOperation)|not authorized to perform|not authorized to use/.test(
    failure.Cause ?? '',
  );
}
