// Crawlee's default: request queue and dataset persisted under ./storage.
import { runCrawlee } from './crawlee-common.ts';

await runCrawlee(true);
