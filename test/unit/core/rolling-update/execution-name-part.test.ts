import fc from 'fast-check';
import { executionNamePart } from '../../../../shared/core/rolling-update/execution-name-part';

describe('executionNamePart', () => {
  it('keeps a name of allowed characters that fits as it is', () => {
    expect(executionNamePart('web', 40)).toBe('web');
    expect(executionNamePart('checkout_web-2', 14)).toBe('checkout_web-2');
  });

  it('marks a cleaned or cut name with a digest of the exact name', () => {
    expect(executionNamePart('svc.a', 40)).toMatch(/^svc-a-[0-9a-f]{8}$/);
    expect(executionNamePart('x'.repeat(41), 40)).toMatch(/^x{31}-[0-9a-f]{8}$/);
    expect(executionNamePart('', 40)).toMatch(/^-[0-9a-f]{8}$/);
  });

  it('gives different names different parts, and a name always the same part', () => {
    const names = ['svc.a', 'svc-a', 'svc/a', 'svc a', 'svc_a', `${'x'.repeat(60)}1`, `${'x'.repeat(60)}2`];
    const parts = names.map((name) => executionNamePart(name, 40));
    expect(new Set(parts).size).toBe(names.length);
    expect(names.map((name) => executionNamePart(name, 40))).toEqual(parts);
  });

  it('fits any name in the length asked, in allowed characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 255 }), fc.integer({ min: 9, max: 80 }), (name, maxLength) => {
        const part = executionNamePart(name, maxLength);
        return part.length >= 1 && part.length <= maxLength && /^[A-Za-z0-9_-]+$/.test(part);
      }),
    );
  });

  it('refuses a length with no room for the digest', () => {
    expect(() => executionNamePart('web', 8)).toThrow(RangeError);
  });
});
