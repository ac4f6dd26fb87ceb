// Jest environment: Node's, with every module compiled through V8's compilation cache.
//
// Jest 30 compiles each module with `vm.compileFunction`, which V8 never looks up in its cache: every
// test file's new context parsed zod, the AWS SDK, aws-cdk-lib and our own modules from source again
// (22 % of the use-case suites' CPU, in band, 2026-12-07). A `vm.Script` of the same source is found
// in the isolate's cache from one context to the next, with the bytecode its functions compiled
// since (zod's 106 files: 36 ms each time through compileFunction, 2.6 ms through a Script after the
// first). So `compileFunction` is answered by a Script of the same function, run in the test's
// context (`compileFunctionThroughCache`): the same parameters, directive prologue, filename,
// positions and `importModuleDynamically`. Each file still gets its own module registry: only the
// compiled code is shared, never a module's state. Patched once per worker process, where only
// Jest's runtime compiles modules.
const vm = require('node:vm');
const { TestEnvironment } = require('jest-environment-node');
const { compileFunctionThroughCache, ORIGINAL } = require('./compile-function-through-cache');

if (!vm.compileFunction[ORIGINAL]) vm.compileFunction = compileFunctionThroughCache(vm.compileFunction);

module.exports = TestEnvironment;
