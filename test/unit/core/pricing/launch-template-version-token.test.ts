import { launchTemplateVersionToken } from '../../../../shared/core/pricing/launch-template-version-token';

const RUN_MS = Date.UTC(2026, 11, 6, 6);

describe('launchTemplateVersionToken', () => {
  it('is the same for every delivery of one run to one group and template', () => {
    expect(launchTemplateVersionToken('web', 'lt-0abc', RUN_MS)).toBe(
      launchTemplateVersionToken('web', 'lt-0abc', RUN_MS),
    );
  });

  it('differs for another group, another template and another run', () => {
    const tokens = new Set([
      launchTemplateVersionToken('web', 'lt-0abc', RUN_MS),
      launchTemplateVersionToken('api', 'lt-0abc', RUN_MS),
      launchTemplateVersionToken('web', 'lt-0def', RUN_MS),
      launchTemplateVersionToken('web', 'lt-0abc', RUN_MS + 1),
      // Parts that would join to the same text without a separator.
      launchTemplateVersionToken('webl', 't-0abc', RUN_MS),
    ]);
    expect(tokens.size).toBe(5);
  });

  it('fits EC2 client tokens (ASCII, at most 64 characters by its idempotency guide) whatever the group name', () => {
    const token = launchTemplateVersionToken('é'.repeat(255), 'lt-0abc', RUN_MS);
    expect(token).toMatch(/^prescale-[A-Za-z0-9_-]{43}$/);
    expect(token.length).toBeLessThanOrEqual(64);
  });

  it('refuses a run time that is not a time', () => {
    expect(() => launchTemplateVersionToken('web', 'lt-0abc', Number.NaN)).toThrow(
      /finite epoch millisecond/,
    );
  });
});
