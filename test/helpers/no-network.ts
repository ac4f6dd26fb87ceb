import dns from 'node:dns';

// Tests never reach the network: an SDK client a test forgot to mock resolves its endpoint, fails
// (after retries and backoff: seconds idle per call) and the code under test often swallows the
// error. Every lookup of a host that is not this machine fails at once, and fails the test.

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0)$/;
const ATTEMPTS = Symbol.for('prescale.test.networkLookups');

type Lookup = typeof dns.lookup & { [ATTEMPTS]?: string[] };

/** The hosts looked up since the last check; the worker's `dns` is patched once, for every file. */
function attempts(): string[] {
  const current = dns.lookup as Lookup;
  if (current[ATTEMPTS]) return current[ATTEMPTS];
  const lookedUp: string[] = [];
  const guarded = ((hostname: string, ...rest: unknown[]) => {
    if (LOCAL_HOST.test(hostname)) return (current as (...args: unknown[]) => void)(hostname, ...rest);
    lookedUp.push(hostname);
    const callback = rest.at(-1) as (error: NodeJS.ErrnoException) => void;
    const error = Object.assign(
      new Error(`getaddrinfo ENOTFOUND ${hostname} (tests never reach the network)`),
      {
        code: 'ENOTFOUND',
        hostname,
      },
    );
    process.nextTick(() => callback(error));
  }) as Lookup;
  guarded[ATTEMPTS] = lookedUp;
  dns.lookup = guarded;
  return lookedUp;
}

const lookedUp = attempts();

afterEach(() => {
  const hosts = [...new Set(lookedUp.splice(0))];
  if (hosts.length > 0) {
    throw new Error(
      `the test looked up ${hosts.join(', ')}: mock the client that calls it (tests never reach the network)`,
    );
  }
});
