import { endHandlerContexts } from '../../shared/simulation/aws-checks/installed-checks';

// Each test file loads the simulation afresh, with its own AsyncLocalStorage: once the file is
// done, take it out of the worker's promise hooks (`endHandlerContexts`).
afterAll(() => endHandlerContexts());
