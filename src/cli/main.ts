/** The `ctq` executable, as ES modules (bin/ctq.js; bin/ctq starts snapshot-main.ts instead when it can). */
import { startCli } from './start';

await startCli(process.argv.slice(2), new URL('./scan-worker.js', import.meta.url));
