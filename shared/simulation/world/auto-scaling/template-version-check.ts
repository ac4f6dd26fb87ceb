import { SimulatedAwsError } from '../simulated-aws-error';
import type { AutoScalingContext } from './auto-scaling-context';

/**
 * Auto Scaling's refusal of a launch template version that does not exist (never created, or
 * deleted), in an UpdateAutoScalingGroup or a StartInstanceRefresh's DesiredConfiguration: AWS
 * validates the launch template it is given before it takes it. A template the world does not hold
 * passes (`templateVersionExists` cannot tell). The code is the ValidationError Auto Scaling
 * answers a launch template it cannot use with; the message is a guess (AWS's wording for a
 * missing version is unconfirmed).
 * @throws SimulatedAwsError ValidationError.
 */
export function checkTemplateVersionExists(
  ctx: AutoScalingContext,
  templateId: string,
  version: string,
): void {
  if (ctx.templateVersionExists(templateId, version) === false)
    throw new SimulatedAwsError(
      'ValidationError',
      `You must use a valid fully-formed launch template. The specified launch template version ${version} of launch template ${templateId} does not exist.`,
    );
}
