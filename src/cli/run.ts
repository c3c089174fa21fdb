// Runs `vanthu` with this process's arguments: the module bin/vanthu.mjs starts (bundled as out/cli/vanthu.mjs).
import { main } from './index.js';

process.exitCode = await main(process.argv.slice(2));
