// The collectors of the deployment. This source is a stand-in: `npm run build`
// (deploy/build) replaces this module in the bundle with the validated
// collectors of collectors/*.yaml as plain data, so the function parses no YAML
// and validates nothing at cold start.
import type { EmbeddedCollector } from './collectors.ts';

export const embeddedCollectors: readonly EmbeddedCollector[] = [];
