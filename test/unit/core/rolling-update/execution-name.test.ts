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

  it('gives groups that clean or cut to the same characters different names, and one group always the same', () => {
    const at = Date.parse('2026-01-02T03:00:00Z');
    const groups = ['svc.a', 'svc-a', 'svc/a', `${'x'.repeat(200)}-one`, `${'x'.repeat(200)}-two`];
    const names = groups.map((group) => executionName(group, '7', at));
    expect(new Set(names).size).toBe(groups.length);
    expect(names[0]).toBe('svc-a-a8d57550-v7-20260102T0300');
    expect(groups.map((group) => executionName(group, '7', at + 59_000))).toEqual(names);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{1,67}-v7-20260102T0300$/);
  });
});
