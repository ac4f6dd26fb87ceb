import vm from 'node:vm';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compileFunctionThroughCache, ORIGINAL } = require('./compile-function-through-cache.js') as {
  compileFunctionThroughCache(original: typeof vm.compileFunction): typeof vm.compileFunction;
  ORIGINAL: symbol;
};

type Compile = typeof vm.compileFunction;
// Node's own, whether or not this run's environment patched the module's.
const nodeCompile: Compile =
  (vm.compileFunction as Compile & Record<symbol, Compile>)[ORIGINAL] ?? vm.compileFunction;
const throughCache = compileFunctionThroughCache(nodeCompile);

const PARAMS = ['module', 'exports', 'require'];

function bothWays(code: string, params = PARAMS, globals: Record<string, unknown> = {}) {
  const options = (filename: string) => ({ filename, parsingContext: vm.createContext({ ...globals }) });
  return {
    node: nodeCompile(code, params, options('/repo/module.js')),
    cached: throughCache(code, params, options('/repo/module.js')),
  };
}

/** Where the error was thrown: file, line and column. */
function throwingFrame(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return /\/repo\/module\.js:\d+:\d+/.exec((error as Error).stack ?? '')?.[0] ?? '';
  }
  throw new Error('the function did not throw');
}

describe('compileFunctionThroughCache', () => {
  it('compiles the same function: its parameters, and the parsing context’s globals', () => {
    const code = 'return [module, exports + 1, typeof require, marker];';
    const { node, cached } = bothWays(code, PARAMS, { marker: 'context' });
    expect(cached.length).toBe(node.length);
    expect(cached('m', 1, () => 0)).toEqual(node('m', 1, () => 0));
    expect(cached('m', 1, () => 0)).toEqual(['m', 2, 'function', 'context']);
  });

  it('keeps the body’s directive prologue: a strict module stays strict, a sloppy one sloppy', () => {
    const strict = bothWays('"use strict"; return (function () { return this; })() === undefined;');
    const sloppy = bothWays('return (function () { return this; })() === undefined;');
    expect([strict.cached(), sloppy.cached()]).toEqual([strict.node(), sloppy.node()]);
    expect([strict.cached(), sloppy.cached()]).toEqual([true, false]);
  });

  it('reports an error at the same line and column, on the first line too', () => {
    const first = bothWays('const x = 1; throw new Error("first line");');
    const later = bothWays('const x = 1;\n  throw new Error("third line" + x);\n');
    expect(throwingFrame(() => first.cached())).toBe(throwingFrame(() => first.node()));
    expect(throwingFrame(() => later.cached())).toBe(throwingFrame(() => later.node()));
    expect(throwingFrame(() => first.cached())).toContain('/repo/module.js:1:20');
  });

  it('leaves a body Node refuses to Node: the same SyntaxError', () => {
    const errorOf = (compile: Compile, code: string) => {
      try {
        compile(code, PARAMS, { parsingContext: vm.createContext({}) });
      } catch (error) {
        return { name: (error as Error).name, message: (error as Error).message };
      }
      return undefined;
    };
    for (const code of ['return );', '}); (function (module, exports, require) {', '}); ({']) {
      expect(errorOf(throughCache, code)).toEqual(errorOf(nodeCompile, code));
      expect(errorOf(throughCache, code)?.name).toBe('SyntaxError');
    }
  });

  it('a line comment ending the body does not swallow the wrapper’s end', () => {
    const { node, cached } = bothWays('return 7; //# sourceMappingURL=data:application/json;base64,e30=');
    expect(cached()).toBe(node());
  });

  it('runs a second compile of the same source in a new context against that context', () => {
    const code = 'return marker;';
    const one = throughCache(code, [], { parsingContext: vm.createContext({ marker: 'one' }) });
    const two = throughCache(code, [], { parsingContext: vm.createContext({ marker: 'two' }) });
    expect([one(), two()]).toEqual(['one', 'two']);
  });

  it('compiles a handler bundle seen before under a new file name with the code cache of the last one', () => {
    const code = 'module.exports = (n) => n * 2;';
    const made: vm.ScriptOptions[] = [];
    const RealScript = vm.Script;
    const spy = jest.spyOn(vm, 'Script').mockImplementation((source, options) => {
      made.push(typeof options === 'object' ? options : {});
      return new RealScript(source, options);
    });
    try {
      const compile = (dir: string, file = 'scale-groups.js') =>
        throughCache(code, PARAMS, {
          filename: `/tmp/${dir}/${file}`,
          parsingContext: vm.createContext({}),
        });
      const run = (compiled: unknown) => {
        const module = { exports: undefined as unknown };
        (compiled as (...args: unknown[]) => unknown)(module, {}, () => undefined);
        return (module.exports as (n: number) => number)(21);
      };
      expect(run(compile('prescale-simulation-a1'))).toBe(42);
      expect(run(compile('prescale-simulation-b2'))).toBe(42);
      // Not a bundle: V8's own cache, by file name, serves it.
      run(compile('elsewhere', 'module.js'));
      expect(made.map((o) => Buffer.isBuffer(o.cachedData))).toEqual([false, true, false]);
    } finally {
      spy.mockRestore();
    }
  });
});
