import { setup } from './conformance-global';

export default setup;
