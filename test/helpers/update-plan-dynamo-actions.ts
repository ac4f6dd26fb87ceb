import type { Template } from 'aws-cdk-lib/assertions';

/**
 * The DynamoDB actions the template's IAM policies grant a part of the update-plan workflow,
 * sorted: the policies whose logical ids start with `PrescaleUpdatePlans` and `part` (a function's
 * id, `lockupdateplan`, or `StateMachineRole`).
 */
export function updatePlanDynamoActions(template: Template, part: string): string[] {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(`PrescaleUpdatePlans${part}`))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
    .flatMap((st) => [st.Action].flat())
    .filter((a) => a.startsWith('dynamodb:'))
    .sort();
}
