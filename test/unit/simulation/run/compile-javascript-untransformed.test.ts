import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const MODULE = path.resolve(
  __dirname,
  '../../../../shared/simulation/run/compile-javascript-untransformed.ts',
);

/**
 * Loads `files` in a Node process under tsx's CommonJS hook, as `npm start` runs, with the module
 * installed; tsx's own `.js` hook counts the files handed to it. Returns what the process printed.
 */
function loadUnderTsx(files: Record<string, string>, load: readonly string[]): unknown {
  const dir = mkdtempSync(path.join(tmpdir(), 'prescale-compile-js-'));
  try {
    for (const [name, source] of Object.entries(files)) writeFileSync(path.join(dir, name), source);
    const script = `
      const Module = require('node:module');
      const tsxJs = Module._extensions['.js'];
      const handed = [];
      Module._extensions['.js'] = function (module, filename) {
        handed.push(require('node:path').basename(filename));
        return tsxJs.call(this, module, filename);
      };
      require(${JSON.stringify(MODULE)});
      const values = ${JSON.stringify(load)}.map((name) => require(require('node:path').join(${JSON.stringify(dir)}, name)).value);
      console.log(JSON.stringify({ values, handed }));
    `;
    const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
      encoding: 'utf8',
    });
    return JSON.parse(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('compile-javascript-untransformed', () => {
  it('compiles CommonJS .js files without tsx, and still loads a file with ESM syntax', () => {
    const outcome = loadUnderTsx(
      {
        'common.js': "exports.value = 'common'; // the word import, and export, in a comment",
        'esm.js': "export const value = 'esm';",
        'counted.js': 'let runs = (globalThis.runs ?? 0) + 1; globalThis.runs = runs; exports.value = runs;',
      },
      ['common.js', 'esm.js', 'counted.js'],
    );
    // ESM syntax: Node ≥ 20.19 loads it as ESM itself; where it cannot, tsx's hook gets the file.
    const { values, handed } = outcome as { values: unknown[]; handed: string[] };
    expect(values).toEqual(['common', 'esm', 1]);
    expect(handed.filter((name) => name !== 'esm.js')).toEqual([]);
  });

  it('lets an error thrown by a CommonJS file while it runs through unchanged', () => {
    expect(() => loadUnderTsx({ 'throws.js': "throw new RangeError('bad input');" }, ['throws.js'])).toThrow(
      /RangeError: bad input/,
    );
  });
});
