import {
  CloudFormationCustomResourceCreateSchema,
  CloudFormationCustomResourceDeleteSchema,
  CloudFormationCustomResourceUpdateSchema,
} from '@aws-lambda-powertools/parser/schemas/cloudformation-custom-resource';
import * as z from 'zod';

/**
 * The CloudFormation custom-resource request as the CDK Provider framework passes it to an
 * `onEvent` handler; updates and deletes name the resource's physical id.
 */
export const customResourceEventSchema = z.discriminatedUnion('RequestType', [
  CloudFormationCustomResourceCreateSchema,
  CloudFormationCustomResourceUpdateSchema.extend({ PhysicalResourceId: z.string().min(1) }),
  CloudFormationCustomResourceDeleteSchema.extend({ PhysicalResourceId: z.string().min(1) }),
]);
