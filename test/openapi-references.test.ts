import { describe, expect, it } from 'vitest';
import { unreferencedDescriptions } from '../src/inputs/openapi/references.js';
import type { TextFile } from '../src/model/files.js';

const file = (path: string, content: string) => ({ path, absPath: `/r/${path}`, kind: 'text', content }) as TextFile;

describe('unreferencedDescriptions', () => {
  it('leaves aside a description nothing names, beside one a docs page names', () => {
    const files = [
      file('docs/api/openapi-1.2.0.yml', 'openapi: 3.0.3'),
      file('docs/api/openapi-local.yml', 'openapi: 3.0.3'),
      file('docs/customers.mdx', 'openapi: "openapi-1.2.0 POST /customers"'),
    ];
    expect([...unreferencedDescriptions(['docs/api/openapi-1.2.0.yml', 'docs/api/openapi-local.yml'], files)]).toEqual([
      'docs/api/openapi-local.yml',
    ]);
  });

  it('keeps a description a Mintlify site publishes by itself, unnamed', () => {
    const files = [
      file('docs/mint.json', '{ "name": "Billing" }'),
      file('docs/api/openapi-2.0.0.yml', 'openapi: 3.0.3'),
      file('packages/openapi/openapi-2.1.0.yml', 'openapi: 3.0.3'),
    ];
    expect([
      ...unreferencedDescriptions(['docs/api/openapi-2.0.0.yml', 'packages/openapi/openapi-2.1.0.yml'], files),
    ]).toEqual(['packages/openapi/openapi-2.1.0.yml']);
  });

  it('marks nothing when no description is named, or there is only one', () => {
    const files = [file('a/orders.yaml', 'openapi: 3.0.3'), file('b/billing.yaml', 'openapi: 3.0.3')];
    expect(unreferencedDescriptions(['a/orders.yaml', 'b/billing.yaml'], files).size).toBe(0);
    expect(unreferencedDescriptions(['a/orders.yaml'], [file('a/orders.yaml', 'x')]).size).toBe(0);
  });

  it('keeps judged a description whose name is written anywhere else, even loosely', () => {
    const files = [
      file('openapi.yml', 'openapi: 3.0.3\ninfo: { title: openapi-draft }'),
      file('openapi-draft.yml', 'openapi: 3.0.3 # openapi-draft'),
      file('package.json', '{ "scripts": { "docs": "redoc openapi.yml" } }'),
    ];
    // `openapi.yml` names the draft's stem in its title: another file naming it keeps it judged (conservative).
    expect(unreferencedDescriptions(['openapi.yml', 'openapi-draft.yml'], files).size).toBe(0);
  });
});
