import { removeTestTempRoot } from './test-temp-root';

export default removeTestTempRoot;
