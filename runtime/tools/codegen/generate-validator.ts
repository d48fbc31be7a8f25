// Generates runtime/language/generated/collector.validate.mjs: the schema compiled by ajv
// ahead of time, so no process pays for compiling it (about 100 ms with ajv's
// own import, a tenth of a 1,000-page run). `test/spec/types-fresh.test.ts`
// fails when the committed file is stale.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

export const validatorPath = fileURLToPath(new URL('../../language/generated/collector.validate.mjs', import.meta.url));
const schemaPath = fileURLToPath(new URL('../../../schemas/collector.schema.json', import.meta.url));

/** The ajv options every validation of a collector uses. */
export function collectorAjv(): Ajv {
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    discriminator: true,
    allowUnionTypes: true,
    verbose: true,
    code: { source: true, esm: true, lines: false },
  });
  // An annotation for json-schema-to-typescript; it has no meaning for validation.
  ajv.addKeyword({ keyword: 'tsType', schemaType: 'string' });
  return ajv;
}

export function renderValidator(): string {
  const ajv = collectorAjv();
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  const banner = '// Generated from schemas/collector.schema.json by `npm run generate:types`. Do not edit.\n/* eslint-disable */\n';
  return `${banner + (standaloneCode as unknown as (ajv: Ajv, v: unknown) => string)(ajv, validate)}\n`;
}
