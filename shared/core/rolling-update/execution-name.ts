import { executionNamePart } from './execution-name-part';

/**
 * A Step Functions execution name for a rolling update: `<group>-v<version>-<yyyymmddThhmm>`, e.g.
 * `web-v7-20260102T0300`. The same group, version and request minute give the same name, so a
 * redelivered request starts nothing twice (StartExecution is idempotent per name and input while
 * the execution runs). Names allow 1–80 characters of `A-Za-z0-9-_`: a group name with other
 * characters or too long for the rest is cleaned, cut and marked with a digest of it
 * (`executionNamePart`), so two groups never share a name.
 */
export function executionName(
  groupName: string,
  launchTemplateVersion: string,
  requestedAtMs: number,
): string {
  const stamp = new Date(requestedAtMs).toISOString().slice(0, 16).replace(/[-:]/g, '');
  const version = launchTemplateVersion.replace(/[^A-Za-z0-9]/g, '').slice(0, 20) || 'current';
  const suffix = `-v${version}-${stamp}`;
  const group = executionNamePart(groupName, 80 - suffix.length);
  return `${group}${suffix}`;
}
