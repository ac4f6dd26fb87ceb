import dns from 'node:dns';

const lookups = (): string[] =>
  (dns.lookup as unknown as Record<symbol, string[]>)[Symbol.for('prescale.test.networkLookups')] ?? [];

const lookUp = (hostname: string) =>
  new Promise<NodeJS.ErrnoException | null>((resolve) => dns.lookup(hostname, (error) => resolve(error)));

describe('no-network (every test file set up with it)', () => {
  it('fails a lookup of a remote host at once and records it for the after-each check', async () => {
    const error = await lookUp('ssm.eu-west-1.amazonaws.com');
    expect(error).toMatchObject({ code: 'ENOTFOUND', hostname: 'ssm.eu-west-1.amazonaws.com' });
    // Taken out here so that this test itself passes the check.
    expect(lookups().splice(0)).toEqual(['ssm.eu-west-1.amazonaws.com']);
  });

  it('resolves this machine, as dynalite on a loopback port needs', async () => {
    expect(await lookUp('localhost')).toBeNull();
    expect(lookups()).toEqual([]);
  });
});
