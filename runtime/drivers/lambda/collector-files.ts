// The collectors of a deployment as files: `collectors/<name>.json` beside the
// bundle in the zip (deploy/build writes them, validated and resolved), each
// read the first time a run of it arrives. A name from an event is checked
// before it becomes a file name: nothing outside that folder can be read.
import { readdirSync, readFileSync } from 'node:fs';
import type { CollectorSource, EmbeddedCollector } from './collectors.ts';

/** The names a collector may have (the schema's and the generator's rule): safe as a file name. */
const COLLECTOR_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The file of one collector, relative to the folder of the collectors. */
function collectorFileName(name: string): string {
  return `${name}.json`;
}

export function collectorFiles(dir: URL): CollectorSource {
  return {
    load(name) {
      if (!COLLECTOR_NAME.test(name)) return undefined;
      let text: string;
      try {
        text = readFileSync(new URL(collectorFileName(name), dir), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      return JSON.parse(text) as EmbeddedCollector;
    },
    names() {
      try {
        return readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => f.slice(0, -'.json'.length))
          .sort();
      } catch {
        return [];
      }
    },
  };
}
