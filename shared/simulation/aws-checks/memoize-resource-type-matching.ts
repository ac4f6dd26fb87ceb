import path from 'node:path';

type ResourceTypesLookup = (service: string, action: string, resource: string) => Promise<readonly unknown[]>;

interface ResourceTypesModule {
  getResourceTypesForAction: ResourceTypesLookup & { readonly memoized?: true };
}

/** iam-simulate's CommonJS module its engine asks which resource types an ARN is for an action. */
const RESOURCE_TYPES_MODULE = 'simulation_engine/resourceTypes.js';

/**
 * Makes iam-simulate match an (action, resource ARN) pair to the action's resource types once per
 * process instead of once per simulation. The matching (iam-utils' wildcard pattern intersection)
 * was over a fifth of a deploy-matrix file's CPU time (10.2 of 45.9 s profiled), repeated for every
 * request whose policies or context differ. Its answer depends only on the three strings (the IAM
 * data it reads is packaged and static) and neither caller (the simulation engine, the context
 * keys' lookup) changes the array it gets, so one promise per pair is shared. It replaces the
 * export of the CommonJS module, which the engine calls through its exports object
 * (`(0, resourceTypes_js_1.getResourceTypesForAction)(…)`); the package's export map hides the
 * file, so it is required by path. Idempotent.
 * @throws if the module or its export moved (an iam-simulate upgrade): the matching would then go
 * unmemoized, so the checks say so instead of silently running slower.
 */
export function memoizeResourceTypeMatching(): ResourceTypesLookup {
  const file = path.join(path.dirname(require.resolve('@cloud-copilot/iam-simulate')), RESOURCE_TYPES_MODULE);
  const module = require(file) as Partial<ResourceTypesModule>;
  const lookup = module.getResourceTypesForAction;
  if (typeof lookup !== 'function')
    throw new Error(
      `iam-simulate has no getResourceTypesForAction in ${file}: update memoizeResourceTypeMatching`,
    );
  if (lookup.memoized) return lookup;
  const answers = new Map<string, Promise<readonly unknown[]>>();
  const memoized = (service: string, action: string, resource: string) => {
    const key = `${service}\n${action}\n${resource}`;
    let answer = answers.get(key);
    if (!answer) {
      answer = lookup(service, action, resource);
      // A failed lookup (an unknown action) is not kept: the next request asks again and fails alike.
      answer.catch(() => answers.delete(key));
      answers.set(key, answer);
    }
    return answer;
  };
  module.getResourceTypesForAction = Object.assign(memoized, { memoized: true as const });
  return module.getResourceTypesForAction;
}
