import dns from 'node:dns';

const lookups = (): { hostname: string; stack: string }[] =>
  (dns.lookup as unknown as Record<symbol, { hostname: string; stack: string }[]>)[
    Symbol.for('prescale.test.networkLookups')
  ] ?? [];

const lookUp = (hostname: string) =>
  new Promise<NodeJS.ErrnoException | null>((resolve) => dns.lookup(hostname, (error) => resolve(error)));

describe('no-network (every test file set up with it)', () => {
  it('fails a lookup of a remote host at once and records it for the after-each check', async () => {
    const error = await lookUp('ssm.eu-west-1.amazonaws.com');
    expect(error).toMatchObject({ code: 'ENOTFOUND', hostname: 'ssm.eu-west-1.amazonaws.com' });
    // Taken out here so that this test itself passes the check.
    const [lookup, ...others] = lookups().splice(0);
    expect(others).toEqual([]);
    expect(lookup?.hostname).toBe('ssm.eu-west-1.amazonaws.com');
    // Where it was looked up from: this file's call, so the message can name the caller.
    expect(lookup?.stack).toContain('no-network.test.ts');
  });

  it('resolves this machine, as dynalite on a loopback port needs', async () => {
    expect(await lookUp('localhost')).toBeNull();
    expect(lookups()).toEqual([]);
  });
});
