// The collectors of the deployment: the files `collectors/<name>.json` beside
// the bundle (`npm run build`, deploy/build, writes them into dist/lambda/ and
// the zip), validated and resolved at build time, so the function parses no
// YAML and validates nothing; it reads one file, the first time a run of that
// collector arrives. Run from source (no such folder), it knows none.
import { collectorFiles } from './collector-files.ts';
import type { CollectorSource } from './collectors.ts';

// The folder name is deploy/build/embed.ts's COLLECTORS_DIR (test/lambda/build.test.ts runs the two together).
export const embeddedCollectors: CollectorSource = collectorFiles(new URL('./collectors/', import.meta.url));
