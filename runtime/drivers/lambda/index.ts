// The Lambda entry point (`index.handler` in dist/lambda.zip).
import { embeddedCollectors } from './embedded-collectors.ts';
import { createHandlerFromEnv } from './from-env.ts';

export const handler = createHandlerFromEnv(embeddedCollectors);
