import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { readUserConfig } from '../../../infra/config/read-user-config';
import { testOutdir } from '../../helpers/test-temp-root';

describe('readUserConfig', () => {
  // Under the run's temp root, removed with it.
  let dir: string;
  beforeAll(() => {
    dir = testOutdir('config-');
    writeFileSync(path.join(dir, 'prod.json'), JSON.stringify({ groups: { names: ['web'] } }));
    writeFileSync(path.join(dir, 'broken.json'), '{ "groups": ');
  });

  const appWith = (context: Record<string, unknown>) => new App({ outdir: testOutdir(), context });

  it('reads the "prescale" context key of cdk.json', () => {
    expect(readUserConfig(appWith({ prescale: { groups: { names: ['api'] } } }), dir)).toEqual({
      config: { groups: { names: ['api'] } },
      source: 'cdk.json context "prescale"',
    });
  });

  it('reads -c prescale=JSON, which the CDK CLI passes as a string', () => {
    const app = appWith({ prescale: JSON.stringify({ groups: { names: ['api'] }, mode: 'forecast-only' }) });
    expect(readUserConfig(app, dir)).toEqual({
      config: { groups: { names: ['api'] }, mode: 'forecast-only' },
      source: 'context "prescale" given with -c',
    });
  });

  it('names a -c prescale value that is not JSON, and how to give one', () => {
    expect(() => readUserConfig(appWith({ prescale: '{groups: web}' }), dir)).toThrow(
      /^context "prescale" given with -c is not valid JSON \(.+\): pass the configuration object as JSON, -c prescale='\{"groups":…\}', or a file, -c configFile=path\.json$/,
    );
  });

  it('reads -c configFile=path relative to the working directory, over the context key', () => {
    const app = appWith({ configFile: 'prod.json', prescale: { groups: { names: ['api'] } } });
    expect(readUserConfig(app, dir)).toEqual({
      config: { groups: { names: ['web'] } },
      source: 'configFile prod.json',
    });
  });

  it('names the file that cannot be read or is not JSON', () => {
    expect(() => readUserConfig(appWith({ configFile: 'missing.json' }), dir)).toThrow(
      `configFile ${path.join(dir, 'missing.json')} could not be read: ENOENT`,
    );
    expect(() => readUserConfig(appWith({ configFile: 'broken.json' }), dir)).toThrow(
      `configFile ${path.join(dir, 'broken.json')} is not valid JSON`,
    );
  });

  it('says where to put the configuration when there is none', () => {
    expect(() => readUserConfig(appWith({}), dir)).toThrow(
      'No Prescale configuration: add a "prescale" key to the context in cdk.json or pass -c configFile=path.json',
    );
  });
});
