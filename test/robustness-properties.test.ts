/**
 * Property-based tests (fast-check) for the SQL statement splitter: on any text it returns ordered,
 * disjoint, in-bounds statements; and statements built from quotes, dollar quotes and comments
 * that hide terminators come back exactly as they were written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../src/inputs/sql/split.js';

const anyText = fc.string({ unit: fc.constantFrom(...';\'"`$-/*#\\\n\r\t aE(){}DELIMITER'.split('')), maxLength: 300 });

describe('splitStatements on any text', () => {
  it('never throws and returns ordered, disjoint, non-blank ranges inside the text', () => {
    fc.assert(
      fc.property(
        anyText,
        fc.constantFrom('postgres', 'mysql') as fc.Arbitrary<'postgres' | 'mysql'>,
        (text, dialect) => {
          const statements = splitStatements(text, dialect);
          let previousEnd = 0;
          for (const { start, end } of statements) {
            expect(start).toBeGreaterThanOrEqual(previousEnd);
            expect(end).toBeGreaterThan(start);
            expect(end).toBeLessThanOrEqual(text.length);
            expect(/\s/.test(text[start]!)).toBe(false);
            previousEnd = end;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/** One PostgreSQL token that may hide a `;`: a quoted string, an identifier, a dollar quote, a comment, or a word. */
const token = fc.oneof(
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/),
  fc.stringMatching(/^[^']{0,10}$/).map((s) => `'${s}'`),
  fc.stringMatching(/^[^"]{0,10}$/).map((s) => `"${s}"`),
  fc.stringMatching(/^[^$]{0,12}$/).map((s) => `$$${s}$$`),
  fc
    .tuple(fc.stringMatching(/^[a-z]{1,4}$/), fc.stringMatching(/^[^$]{0,12}$/))
    .map(([tag, s]) => `$${tag}$${s}$${tag}$`),
  fc.stringMatching(/^[^*]{0,10}$/).map((s) => `/* ${s} */`),
  fc.stringMatching(/^[^\r\n]{0,10}$/).map((s) => `-- ${s}\n`),
);

describe('splitStatements on statements that hide terminators', () => {
  it('gives back each statement exactly', () => {
    const statement = fc
      .tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.array(token, { maxLength: 6 }))
      .map(([head, rest]) => [head, ...rest].join(' '))
      // A statement ends at its last token: a trailing line comment would be trimmed off as trivia.
      .filter((s) => !/--[^\n]*\n$/.test(s) && !/\*\/$/.test(s));
    fc.assert(
      fc.property(
        fc.array(statement, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(';\n', ';', ' ;\r\n\n'),
        (statements, separator) => {
          const text = statements.join(separator) + separator;
          const found = splitStatements(text, 'postgres').map(({ start, end }) => text.slice(start, end));
          expect(found).toEqual(statements);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
