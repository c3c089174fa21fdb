// Entry of a validation worker thread when running from the sources: a worker thread starts without the parent's TypeScript loader (tsx).
import { register } from 'tsx/esm/api';

register();
const worker = await import('./validate-worker.ts');
export default worker.default;
