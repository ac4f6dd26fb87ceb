import { executionName } from '../../../../shared/core/rolling-update/execution-name';

describe('executionName', () => {
  it('carries the group, the version and the request minute', () => {
    expect(executionName('web', '7', Date.parse('2026-01-02T03:00:59Z'))).toBe('web-v7-20260102T0300');
  });

  it('fits 80 characters of A-Za-z0-9-_ for any group name', () => {
    const name = executionName(`${'a.b/'.repeat(60)}`, '123', 0);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+-v123-19700101T0000$/);
  });
});
