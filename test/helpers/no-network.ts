import dns from 'node:dns';

// Tests never reach the network: an SDK client a test forgot to mock resolves its endpoint, fails
// (after retries and backoff: seconds idle per call) and the code under test often swallows the
// error. Every lookup of a host that is not this machine fails at once, and fails the test.

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0)$/;
const ATTEMPTS = Symbol.for('prescale.test.networkLookups');

/** One lookup refused: the host, and where it was called from (the SDK's frames included). */
interface Lookup {
  readonly hostname: string;
  readonly stack: string;
}

type GuardedLookup = typeof dns.lookup & { [ATTEMPTS]?: Lookup[] };

/** The lookups since the last check; the worker's `dns` is patched once, for every file. */
function attempts(): Lookup[] {
  const current = dns.lookup as GuardedLookup;
  if (current[ATTEMPTS]) return current[ATTEMPTS];
  const lookedUp: Lookup[] = [];
  const guarded = ((hostname: string, ...rest: unknown[]) => {
    if (LOCAL_HOST.test(hostname)) return (current as (...args: unknown[]) => void)(hostname, ...rest);
    // Not as `at …` lines: Jest would take them for the error's own stack and drop them.
    const stack = (new Error().stack ?? '')
      .split('\n')
      .slice(2)
      .filter((line) => !/\(node:|at node:/.test(line))
      .slice(0, 8)
      .map((line) => `  ← ${line.trim().replace(/^at /, '')}`)
      .join('\n');
    lookedUp.push({ hostname, stack });
    const callback = rest.at(-1) as (error: NodeJS.ErrnoException) => void;
    const message = `getaddrinfo ENOTFOUND ${hostname} (tests never reach the network)`;
    const error = Object.assign(new Error(message), { code: 'ENOTFOUND', hostname });
    process.nextTick(() => callback(error));
  }) as GuardedLookup;
  guarded[ATTEMPTS] = lookedUp;
  dns.lookup = guarded;
  return lookedUp;
}

const lookedUp = attempts();

afterEach(() => {
  const lookups = lookedUp.splice(0);
  if (lookups.length === 0) return;
  const hosts = [...new Set(lookups.map((l) => l.hostname))].join(', ');
  // A timer or an SDK retry an earlier test left running looks up during a later one: the stack
  // of the first lookup says which code made it.
  throw new Error(
    `${hosts} looked up while this test ran (by it, or by a timer or retry an earlier test left): mock the client that calls it (tests never reach the network). First lookup from:\n${lookups[0]?.stack}`,
  );
});
