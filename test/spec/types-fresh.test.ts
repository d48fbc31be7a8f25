// runtime/language/generated/collector.types.ts and collector.validate.mjs are generated from the schema; this fails when
// someone changed the schema and forgot `npm run generate:types`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTypes, typesPath } from '../../runtime/tools/codegen/generate-types.ts';
import { renderValidator, validatorPath } from '../../runtime/tools/codegen/generate-validator.ts';

describe('collector.types.ts', () => {
  it('is what the schema generates', async () => {
    const committed = readFileSync(typesPath, 'utf8');
    expect(committed, 'run `npm run generate:types`').toBe(await renderTypes());
  });
});

describe('collector.validate.mjs', () => {
  it('is what ajv compiles from the schema', () => {
    expect(readFileSync(validatorPath, 'utf8') === renderValidator(), 'run `npm run generate:types`').toBe(true);
  });
});
