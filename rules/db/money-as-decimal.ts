import {
  defineRule,
  dialectRecord,
  formatTableName,
  sqlIdentifier,
  sqlTableName,
  type Column,
  type SqlDialect,
  type Table,
  type TableName,
} from '../../src/rule-api.js';

/** Words that name an amount of money (`total_amount`, `unitPrice`, `shipping_cost`). */
const MONEY_WORDS = new Set([
  'amount',
  'amt',
  'price',
  'prices',
  'total',
  'subtotal',
  'cost',
  'costs',
  'balance',
  'fee',
  'fees',
  'tax',
  'taxes',
  'salary',
  'wage',
  'wages',
  'payment',
  'payout',
  'revenue',
  'income',
  'discount',
  'refund',
  'charge',
  'money',
  'budget',
  'commission',
  'tip',
  'gross',
  'net',
  'msrp',
  'vat',
]);

/** Words that make it a count, ratio or measure instead (`total_count`, `tax_rate`, `price_weight`). */
const NOT_MONEY_WORDS = new Set([
  'count',
  'counts',
  'qty',
  'quantity',
  'number',
  'num',
  'percent',
  'percentage',
  'pct',
  'rate',
  'ratio',
  'score',
  'weight',
  'size',
  'bytes',
  'ms',
  'seconds',
  'duration',
  'factor',
  'multiplier',
  'share',
]);

/**
 * Words that say the amount is counted in minor units (`cost_in_cents`, `usageCostInCents`,
 * `price_micros`). Whole minor units are integers, which a double holds exactly up to 2^53: a float
 * there exists to keep fractions of a cent (a metered per-second price), and its rounding error sits
 * far below the smallest amount anyone bills or shows. The team chose the unit on purpose.
 */
const MINOR_UNIT_WORDS = new Set([
  'cents',
  'cent',
  'pence',
  'penny',
  'pennies',
  'micros',
  'millicents',
  'microcents',
  'satoshi',
  'satoshis',
  'sats',
]);

const FLOAT_TYPES = new Set(['real', 'double precision', 'double', 'float', 'float4', 'float8']);

/** `totalAmount`, `total_amount`, `TotalAmount` → total, amount. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

function isMoneyName(name: string): boolean {
  const parts = words(name);
  const notMoney = (word: string) =>
    NOT_MONEY_WORDS.has(word) || NOT_MONEY_WORDS.has(word.replace(/s$/, '')) || MINOR_UNIT_WORDS.has(word);
  return parts.some((word) => MONEY_WORDS.has(word)) && !parts.some(notMoney);
}

/** Column names that say nothing of their own: the table's name says what they hold. */
const GENERIC_VALUE = new Set(['value', 'val']);

/** `AccountBalance.value`, `price_history.value`: a generic value column of a table named for an amount of money. */
function isMoneyValue(table: TableName, column: string): boolean {
  const parts = words(column);
  return parts.length === 1 && GENERIC_VALUE.has(parts[0]!) && isMoneyName(table.name);
}

/**
 * Quantities a machine meters, as a column counts them (`prompt_tokens`, `bytes_ingested`, `signal_runs`), or as
 * the tokenizer that counts them.
 */
const METERED_COUNTS = new Set([
  'tokens',
  'tokenizer',
  'bytes',
  'spans',
  'steps',
  'runs',
  'requests',
  'invocations',
  'executions',
]);

/**
 * The unit a metered price is quoted in: one of the quantities above (`extra_byte_price`, `extra_step_price`: what one
 * more unit over a plan's quota costs), or a bulk of them (`input_price_per_million`). Time is left out: `pay_per_hour`
 * is a wage.
 */
const METERED_UNITS = new Set([
  'token',
  'byte',
  'span',
  'step',
  'run',
  'request',
  'invocation',
  'execution',
  'million',
  'thousand',
  'kb',
  'mb',
  'gb',
  'tb',
  'mib',
  'gib',
]);

/**
 * A price or cost of metered machine usage, which floats are right for (see the rule's `fix`):
 * - a rate quoted per metered unit: `input_price_per_million` (per million tokens), `extra_byte_price` (per byte over a
 *   plan's quota) — a multiplier of fractions of a cent, not an amount anyone holds or is paid;
 * - the `cost` of a row that meters usage (`run.cost` beside `prompt_tokens`, `workspace_usage.signal_cost` beside
 *   `bytes` and `signal_runs`): an estimate computed from those counts and such rates for dashboards; the invoice is the
 *   billing provider's. (Only `cost`: a `price` beside token counts is what a pack of tokens sells for.)
 */
function isMeteredUsage(table: Table, column: string): boolean {
  const parts = words(column);
  const singular = (word: string) => word.replace(/s$/, '');
  if (parts.some((word) => METERED_UNITS.has(word) || METERED_UNITS.has(singular(word)))) return true;
  if (!parts.some((word) => word === 'cost' || word === 'costs')) return false;
  return table.columns.some(
    (other) => other.name !== column && words(other.name).some((word) => METERED_COUNTS.has(word)),
  );
}

function alterStatement(table: TableName, column: Column, dialect: SqlDialect): string | undefined {
  const target = sqlTableName(table, dialect);
  const name = sqlIdentifier(column.name, dialect);
  // Undefined where the engine cannot change a column's type in place (SQLite).
  const record = dialectRecord(dialect);
  return record.alterColumnType?.(target, name, `${record.exactDecimal}(19, 4)`, column.nullable);
}

export default defineRule({
  meta: {
    id: 'db/money-as-decimal',
    title: 'Money is stored as an exact decimal, not a floating-point number',
    severity: 'warning',
    requires: ['schema'],
    tags: ['database', 'data-integrity'],
    why:
      'Floating-point types store binary fractions: 0.1 + 0.2 is 0.30000000000000004, sums drift by fractions of a ' +
      'cent, equality checks fail, and rounding differs between the database, the application and the payment ' +
      'provider. Auditors and reconciliation jobs find the difference.',
    fix:
      'Store amounts as `numeric(p, s)` / `DECIMAL(p, s)` (e.g. `numeric(19, 4)`), or as an integer number of minor ' +
      'units (`amount_cents bigint`) with the currency next to it. A column named only `value` counts when its table is named ' +
      'for an amount (`account_balances.value`). Not reported: a float whose name says it counts minor ' +
      'units (`cost_in_cents`, `price_micros`): whole cents are exact in a double, so the float only keeps fractions ' +
      'of a cent (metered usage), far below anything billed or shown; nor a `cost` in a table that counts model tokens ' +
      '(`prompt_tokens`, a `tokenizer`): an estimate of model usage computed from token counts, not an amount billed.',
    examples: {
      bad: [
        {
          description: 'A price as double precision',
          files: {
            'db/migrations/001_products.sql':
              'CREATE TABLE products (\n  id bigint PRIMARY KEY,\n  price double precision NOT NULL\n);\n',
          },
        },
      ],
      good: [
        {
          description: 'A price as numeric, a rate as a float',
          files: {
            'db/migrations/001_products.sql':
              'CREATE TABLE products (\n  id bigint PRIMARY KEY,\n  price numeric(12, 2) NOT NULL,\n  tax_rate real NOT NULL\n);\n',
          },
        },
      ],
    },
    messages: {
      float: 'Column {{table}}.{{column}} holds money as {{type}}: floating point cannot represent cents exactly',
    },
  },
  check(ctx) {
    for (const schema of ctx.schema.schemas) {
      for (const table of schema.tables) {
        for (const column of table.columns) {
          if (
            column.type.array ||
            !FLOAT_TYPES.has(column.type.name) ||
            !(isMoneyName(column.name) || isMoneyValue(table.name, column.name)) ||
            isMeteredUsage(table, column.name)
          )
            continue;
          const statement = alterStatement(table.name, column, schema.dialect);
          ctx.report({
            at: column,
            messageId: 'float',
            data: { table: formatTableName(table.name), column: column.name, type: column.type.name },
            fix: {
              description: `Store ${column.name} as an exact decimal (or integer minor units)`,
              ...(statement ? { text: statement } : {}),
            },
          });
        }
      }
    }
  },
});
