// Entry of a verification worker thread: the server runs as TypeScript through tsx, and a worker thread starts without its loader.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./verify-worker.ts');
export default worker.default;
