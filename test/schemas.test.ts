import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMAS, renderSchema } from '../functions/cli/schema-files.js';
import { PACKAGE_ROOT } from '../functions/cli/paths.js';

describe('published JSON Schemas', () => {
  it.each(Object.keys(JSON_SCHEMAS) as (keyof typeof JSON_SCHEMAS)[])('%s schema is up to date (npx eksguard schema --write)', (name) => {
    expect(readFileSync(join(PACKAGE_ROOT, JSON_SCHEMAS[name].file), 'utf8')).toBe(renderSchema(name));
  });
});
