// eslint-disable-next-line @typescript-eslint/no-require-imports
const transform = require('./local-intrinsics-transform.js') as {
  createTransformer(options: unknown): {
    process(src: string, filename: string, options: unknown): { code: string };
  };
};

const transformer = transform.createTransformer({
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
});
const SOURCE =
  'export const peak = (xs: number[]): number =>\n  Math.max(...xs.filter((x) => Number.isFinite(x)));\n';
const run = (filename: string) =>
  transformer.process(SOURCE, filename, { config: {}, cacheFS: new Map(), transformerConfig: {} }).code;

describe('local-intrinsics-transform', () => {
  it('declares the built-ins after the module’s strict directive, on its line', () => {
    const code = run('/repo/shared/core/peak.ts');
    expect(code.startsWith('"use strict";const {Math,Number,')).toBe(true);
    expect(code.split('\n').length).toBe(run('/repo/node_modules/x/peak.ts').split('\n').length);
  });

  it('runs the module unchanged, with the same objects as the globals', () => {
    const code = run('/repo/shared/core/peak.ts');
    const exports: { peak?: (xs: number[]) => number } = {};
    new Function('exports', code)(exports);
    expect(exports.peak?.([1, Number.NaN, 7, 3])).toBe(7);
    const [math, number] = new Function('exports', `${code}\nreturn [Math, Number];`)({}) as unknown[];
    expect(math).toBe(globalThis.Math);
    expect(number).toBe(globalThis.Number);
  });

  it('keeps a module’s own declaration of a built-in’s name', () => {
    const code = transformer.process(
      'class Set { has(): boolean { return true; } }\nexport const present = (): boolean => new Set().has() && Math.abs(-1) === 1;\n',
      '/repo/shared/core/own-set.ts',
      { config: {}, cacheFS: new Map(), transformerConfig: {} },
    ).code;
    expect(code).not.toMatch(/const \{[^}]*\bSet\b[^}]*\}=globalThis/);
    const exports: { present?: () => boolean } = {};
    new Function('exports', code)(exports);
    expect(exports.present?.()).toBe(true);
  });

  it('leaves packages from node_modules as swc emits them', () => {
    expect(run('/repo/node_modules/pkg/index.ts').startsWith('"use strict";\n')).toBe(true);
  });
});
