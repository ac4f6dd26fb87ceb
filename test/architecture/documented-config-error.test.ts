import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseKnownConfig } from '../../shared/contracts/unknown-config-keys';
import { userConfigSchema } from '../../shared/contracts/user-config';
import { REPO_ROOT } from '../helpers/source-imports';

/** The first fenced block of docs/configuration.md whose text starts with the given words. */
function quotedBlock(startsWith: string): string {
  const text = readFileSync(path.join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
  const blocks = [...text.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)].map((m) => (m[1] as string).trimEnd());
  return blocks.find((block) => block.startsWith(startsWith)) ?? '';
}

describe('the failed synth docs/configuration.md quotes', () => {
  it('is the error a cdk.json with those two bad values raises, as Node prints its first lines', () => {
    const quoted = quotedBlock('InvalidConfigError:');
    expect(quoted).not.toBe('');
    const badContext = {
      groups: { names: ['web'] },
      scheduleRateMinutes: 0,
      defaults: { targetLoadPerInstance: -5 },
    };
    let printed = '';
    try {
      parseKnownConfig(userConfigSchema, badContext, 'cdk.json context "prescale"');
    } catch (error) {
      printed = `${(error as Error).name}: ${(error as Error).message}`;
    }
    expect(printed).toBe(quoted);
  });
});
