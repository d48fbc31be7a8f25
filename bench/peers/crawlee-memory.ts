// Crawlee with persistStorage: false: request queue and dataset in memory.
import { runCrawlee } from './crawlee-common.ts';

await runCrawlee(false);
