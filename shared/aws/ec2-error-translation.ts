import { ResourceNotFoundError } from '../ports/errors';
import { translateAwsError } from './translate-aws-error';

/**
 * `translateAwsError` plus EC2's own not-found codes (`InvalidLaunchTemplateId.NotFound`,
 * `InvalidLaunchTemplateId.VersionNotFound`, `InvalidAMIID.NotFound`, ...), which end in
 * `NotFound`/`NotFoundException` instead of using the shared names.
 */
export function translateEc2Error(
  error: unknown,
  operation: string,
  resource?: { type: string; id: string },
): Error {
  const name = (error as { name?: string; Code?: string })?.name ?? (error as { Code?: string })?.Code ?? '';
  if (resource && /NotFound(Exception)?$/.test(name)) {
    return new ResourceNotFoundError(resource.type, resource.id, { cause: error });
  }
  return translateAwsError(error, 'EC2', operation, resource);
}
