// The browser function's entry point (`index.handler` in dist/lambda-browser.zip):
// the same handler as the HTTP function's, run for the task queues of the
// collectors with a `browser` block. Its Chromium (from the layer, unpacked by
// @sparticuz/chromium into /tmp, or COLLECT_CHROMIUM_PATH) is launched on the
// first page and kept between invocations: a frozen container keeps it, and a
// warm one renders its next batch without a launch.
import { keepBrowserWarm } from '../../core/browser/browser-process.ts';
import { embeddedCollectors } from './embedded-collectors.ts';
import { createHandlerFromEnv } from './from-env.ts';

keepBrowserWarm();

export const handler = createHandlerFromEnv(embeddedCollectors);
