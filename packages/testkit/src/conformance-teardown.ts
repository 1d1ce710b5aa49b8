import { teardown } from './conformance-global';

export default teardown;
