// runtime/spec/collector.types.ts is generated from the schema; this fails when
// someone changed the schema and forgot `npm run generate:types`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTypes, typesPath } from '../../runtime/spec/generate-types.ts';

describe('collector.types.ts', () => {
  it('is what the schema generates', async () => {
    const committed = readFileSync(typesPath, 'utf8');
    expect(committed, 'run `npm run generate:types`').toBe(await renderTypes());
  });
});
