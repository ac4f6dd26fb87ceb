import { createTestTempRoot } from './test-temp-root';

export default createTestTempRoot;
