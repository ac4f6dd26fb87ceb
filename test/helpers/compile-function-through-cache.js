// `vm.compileFunction`, answered by a `vm.Script` of the same function run in the parsing context,
// which V8's compilation cache serves from one context to the next (see code-cache-environment.js).
const vm = require('node:vm');

/** The Node `compileFunction` a patched one stands for (tests compare the two). */
const ORIGINAL = Symbol.for('prescale.compileFunction.original');

/**
 * The simulation's handler bundles land in a new temp directory each time (a fresh module per
 * world), and V8's compilation cache is keyed by file name as well as source, so each load parsed
 * and compiled the same megabytes again. A bundle's source seen before is compiled with the code
 * cache of its last Script (`createCachedData`, which holds every function compiled by then), and
 * V8 checks that cache against the source itself.
 */
const BUNDLE_FILE = /[\\/]prescale-simulation-[^\\/]+[\\/][^\\/]+\.js$/;
const lastBundleScript = new Map();

function compileFunctionThroughCache(original) {
  function compileFunction(...args) {
    const [code, params = [], options = {}] = args;
    const { parsingContext, filename, importModuleDynamically, lineOffset = 0, columnOffset = 0 } = options;
    const plain =
      parsingContext &&
      !options.contextExtensions?.length &&
      !options.cachedData &&
      !options.produceCachedData;
    if (!plain) return original.apply(vm, args);
    const head = `(function (${params.join(', ')}) {`;
    const source = `${head}${code}\n})`;
    const bundle = BUNDLE_FILE.test(filename ?? '');
    const earlier = bundle ? lastBundleScript.get(source) : undefined;
    let script;
    try {
      script = new vm.Script(source, {
        filename,
        lineOffset,
        // V8 offsets the first line's columns only: the head is on it, the rest keeps its place.
        columnOffset: columnOffset - head.length,
        ...(importModuleDynamically ? { importModuleDynamically } : {}),
        ...(earlier ? { cachedData: earlier.createCachedData() } : {}),
      });
    } catch {
      // A syntax error is Node's to report, as it would.
      return original.apply(vm, args);
    }
    if (bundle) lastBundleScript.set(source, script);
    const compiled = script.runInContext(parsingContext);
    // A valid body keeps the wrapper one function expression, whose text is all of it but its
    // parentheses; a body that closed it early (not a function body: Node refuses it) does not.
    if (typeof compiled !== 'function' || Function.prototype.toString.call(compiled) !== source.slice(1, -1))
      return original.apply(vm, args);
    return compiled;
  }
  compileFunction[ORIGINAL] = original;
  return compileFunction;
}

module.exports = { compileFunctionThroughCache, ORIGINAL };
