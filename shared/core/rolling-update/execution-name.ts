/**
 * A Step Functions execution name for a rolling update: `<group>-v<version>-<yyyymmddThhmm>`, e.g.
 * `web-v7-20260102T0300`. The same group, version and request minute give the same name, so a
 * redelivered request starts nothing twice (StartExecution is idempotent per name and input).
 * Names allow 1–80 characters of `A-Za-z0-9-_`; the group part is shortened to fit.
 */
export function executionName(
  groupName: string,
  launchTemplateVersion: string,
  requestedAtMs: number,
): string {
  const stamp = new Date(requestedAtMs).toISOString().slice(0, 16).replace(/[-:]/g, '');
  const version = launchTemplateVersion.replace(/[^A-Za-z0-9]/g, '').slice(0, 20) || 'current';
  const suffix = `-v${version}-${stamp}`;
  const group = groupName.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80 - suffix.length);
  return `${group}${suffix}`;
}
