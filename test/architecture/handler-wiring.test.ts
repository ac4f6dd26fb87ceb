import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * How every handler wires what `shared/aws` offers, checked from its source: its AWS clients are
 * traced by its own Powertools tracer (`lazyClients(…, observability.tracer)`), so every call it
 * makes is an X-Ray subsegment of the invocation (how that records a call:
 * test/unit/aws/aws-clients-tracing.test.ts).
 */
const FUNCTIONS = path.resolve(__dirname, '..', '..', 'functions');

const handlers = readdirSync(FUNCTIONS).map((name) => ({
  name,
  source: readFileSync(path.join(FUNCTIONS, name, 'handler.ts'), 'utf8'),
}));

describe('handler wiring', () => {
  it.each(handlers.filter((handler) => handler.source.includes('lazyClients(')))(
    '$name traces its AWS clients with its own tracer',
    ({ source }) => {
      const calls = [...source.matchAll(/lazyClients\(([\s\S]*?)\);/g)].map((match) => match[1] ?? '');
      expect(calls).not.toHaveLength(0);
      for (const args of calls) expect(args.trim()).toMatch(/,\s*observability\.tracer,?$/);
    },
  );

  it('finds the handlers it checks', () => {
    expect(
      handlers.filter((handler) => handler.source.includes('lazyClients(')).length,
    ).toBeGreaterThanOrEqual(20);
  });
});
