import * as z from 'zod';

/**
 * The CloudFormation custom-resource request as the CDK Provider framework passes it to an
 * `onEvent` handler (the fields Prescale reads).
 */
export const customResourceEventSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  PhysicalResourceId: z.string().min(1).optional(),
  LogicalResourceId: z.string().min(1),
});

export type CustomResourceEvent = z.output<typeof customResourceEventSchema>;
