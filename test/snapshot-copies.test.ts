/** A tutorial's snapshot copies of an app: numbered sibling folders holding the same app are no deployed services. */
import { describe, expect, it } from 'vitest';
import { type SizedFile, snapshotCopies, snapshotCopyFolders } from '../src/model/snapshot-copies.js';
import type { FileSet } from '../src/model/files.js';

/** An app's files below `folder`: a manifest and code files of the given sizes (the same sizes: the same files). */
function app(folder: string, code: Record<string, number>): SizedFile[] {
  return [
    { path: `${folder}/package.json`, size: 120, code: false },
    ...Object.entries(code).map(([path, size]) => ({ path: `${folder}/${path}`, size, code: true })),
  ];
}

const chapterOne = {
  'server/server.ts': 800,
  'server/api/index.ts': 300,
  'server/models/User.ts': 900,
  'lib/api/public.ts': 400,
  'pages/index.tsx': 1100,
};
const chapterTwo = { ...chapterOne, 'server/models/Team.ts': 700 };

describe('snapshotCopyFolders', () => {
  it('finds the chapters of a book, beside the app that is deployed', () => {
    const files = [
      ...app('book/1-begin/api', chapterOne),
      ...app('book/1-end/api', chapterOne),
      ...app('book/2-begin/api', chapterOne),
      ...app('book/2-end/api', { ...chapterTwo, 'server/server.ts': 950 }),
      ...app('saas/api', { ...chapterTwo, 'server/server.ts': 1200 }),
    ];
    expect(snapshotCopyFolders(files)).toEqual(['book/1-begin', 'book/1-end', 'book/2-begin', 'book/2-end']);
  });

  it('reads steps, lessons and parts named in other ways, at the root too', () => {
    for (const names of [
      ['01-setup', '02-auth', '03-teams'],
      ['step-1', 'step-2'],
      ['chapter1', 'chapter2'],
      ['part_1-intro', 'part_2-routing'],
    ]) {
      const files = names.flatMap((name) => app(name, chapterOne));
      expect(snapshotCopyFolders(files), names.join(' ')).toEqual([...names].sort());
    }
  });

  it('leaves versions, dates, timestamps and a single chapter alone', () => {
    for (const names of [
      ['v1', 'v2'],
      ['version-1', 'version-2'],
      ['apiV1', 'apiV2'],
      ['2023', '2024'],
      ['20230101120000_init', '20230202120000_teams'],
      ['1-begin', '1-end'],
    ]) {
      const files = names.flatMap((name) => app(`api/${name}`, chapterOne));
      expect(snapshotCopyFolders(files), names.join(' ')).toEqual([]);
    }
  });

  it('leaves numbered folders of different apps alone', () => {
    const files = [
      ...app('services/01-orders', { 'src/main.ts': 500, 'src/orders.ts': 2000, 'src/db.ts': 400 }),
      ...app('services/02-billing', { 'src/main.ts': 510, 'src/invoices.ts': 1800, 'src/db.ts': 420 }),
    ];
    expect(snapshotCopyFolders(files)).toEqual([]);
  });

  it('asks each copy for an app of its own and for more than a file or two in common', () => {
    const noManifest = ['1-a', '2-b'].flatMap((name) =>
      Object.entries(chapterOne).map(([path, size]) => ({ path: `ui/${name}/${path}`, size, code: true })),
    );
    expect(snapshotCopyFolders(noManifest)).toEqual([]);
    const scaffold = [
      ...app('apps/app-1', { 'src/main.ts': 200, 'src/app.ts': 150, 'src/orders.ts': 3000, 'src/users.ts': 2500 }),
      ...app('apps/app-2', { 'src/main.ts': 200, 'src/app.ts': 150, 'src/search.ts': 2800, 'src/index.ts': 900 }),
    ];
    expect(snapshotCopyFolders(scaffold)).toEqual([]);
  });

  it('counts a copy only when half its code is unchanged from another step', () => {
    const files = [
      ...app('lessons/1', chapterOne),
      ...app('lessons/2', chapterOne),
      ...app('lessons/3', {
        'server/server.ts': 800,
        'server/api/index.ts': 300,
        'server/models/User.ts': 900,
        'lib/api/public.ts': 400,
        'pages/index.tsx': 1100,
        'server/a.ts': 1,
        'server/b.ts': 2,
        'server/c.ts': 3,
        'server/d.ts': 4,
        'server/e.ts': 5,
        'server/f.ts': 6,
      }),
    ];
    expect(snapshotCopyFolders(files)).toEqual(['lessons/1', 'lessons/2']);
  });
});

describe('snapshotCopies', () => {
  it('answers for a file by its path below the lint root', () => {
    const files = [...app('book/1-end', chapterOne), ...app('book/2-end', chapterOne), ...app('saas', chapterOne)];
    const fileSet: FileSet = {
      roots: ['/repo'],
      files: files.map((file) => ({
        path: file.path,
        absPath: `/repo/${file.path}`,
        kind: file.code ? 'code' : 'openapi-candidate',
        size: file.size,
      })),
      skipped: [],
    };
    const inCopy = snapshotCopies(fileSet);
    expect(inCopy('book/1-end/server/server.ts')).toBe(true);
    expect(inCopy('book/2-end/package.json')).toBe(true);
    expect(inCopy('saas/server/server.ts')).toBe(false);
    expect(inCopy('book/1-endless/server.ts')).toBe(false);
  });
});
