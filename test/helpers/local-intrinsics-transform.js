// Jest transform: @swc/jest, then each of the repo's own modules reads the built-ins its hot loops
// use once, into module constants. Jest runs every module in a `vm` context, whose global object
// answers each global lookup through an interceptor: `Number.isFinite(x)` there costs ~165 ns
// against ~2 ns in Node's own context, so the simulation and forecasting suites spent much of
// their time finding `Math` and `Number`. The constants are the context's own objects, so nothing
// changes but the lookup (a spy on `Math.random` still applies); `Date` and the timers stay
// global, where a fake clock replaces them. The simulation's handler bundles do the same through
// esbuild (`shared/simulation/run/bundle-handlers.ts`). Declared on the directive's line, so line
// numbers and source maps are unchanged; packages from node_modules are left as they are.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { createTransformer } = require('@swc/jest');

const HOT_INTRINSICS = require('../../shared/simulation/run/hot-intrinsics.json');
const DECLARATION = `const {${HOT_INTRINSICS.join(',')}}=globalThis;`;
const STRICT = '"use strict";';
// Jest's cache key does not cover a transform's own source: an edit here must miss the cache.
const OWN_VERSION = createHash('sha256').update(readFileSync(__filename)).update(DECLARATION).digest('hex');

// A module that declares one of these names itself (`class Map`, `function isNaN`) keeps its own:
// a second top-level declaration would be a syntax error.
function declarationFor(code) {
  const own = HOT_INTRINSICS.filter((name) =>
    new RegExp(`\\b(?:const|let|var|function|class)\\s+${name}\\b`).test(code),
  );
  if (own.length === 0) return DECLARATION;
  const names = HOT_INTRINSICS.filter((name) => !own.includes(name));
  return `const {${names.join(',')}}=globalThis;`;
}

function withLocalIntrinsics(code, filename) {
  if (filename.includes('/node_modules/')) return code;
  const declaration = declarationFor(code);
  // After the directive (it must stay first to keep the module strict), on the same line.
  return code.startsWith(STRICT) ? STRICT + declaration + code.slice(STRICT.length) : declaration + code;
}

module.exports = {
  createTransformer(options) {
    const swc = createTransformer(options);
    return {
      ...swc,
      getCacheKey: (src, filename, ...rest) => `${swc.getCacheKey(src, filename, ...rest)}:${OWN_VERSION}`,
      process(src, filename, transformOptions) {
        const out = swc.process(src, filename, transformOptions);
        return { ...out, code: withLocalIntrinsics(out.code, filename) };
      },
      async processAsync(src, filename, transformOptions) {
        const out = await swc.processAsync(src, filename, transformOptions);
        return { ...out, code: withLocalIntrinsics(out.code, filename) };
      },
    };
  },
};
