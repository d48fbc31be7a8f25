// Generates runtime/language/generated/collector.types.ts from the schema, so the TypeScript
// types are derived from the one source of truth and never written twice; and
// the ahead-of-time validator (generate-validator.ts).
// `test/spec/types-fresh.test.ts` fails when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { renderValidator, validatorPath } from './generate-validator.ts';

export const typesPath = fileURLToPath(new URL('../../language/generated/collector.types.ts', import.meta.url));
const schemaPath = fileURLToPath(new URL('../../../schemas/collector.schema.json', import.meta.url));

export async function renderTypes(): Promise<string> {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as JSONSchema;
  return compile(schema, 'Collector', {
    bannerComment: '/* Generated from schemas/collector.schema.json by `npm run generate:types`. Do not edit. */',
    additionalProperties: false,
    unreachableDefinitions: false,
    style: { singleQuote: true },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(typesPath, await renderTypes());
  console.log(`wrote ${typesPath}`);
  writeFileSync(validatorPath, renderValidator());
  console.log(`wrote ${validatorPath}`);
}
