/** SQL type names as written in a schema builder's options (`'TIMESTAMP WITH TIME ZONE'`), named as the SQL input names them. */
export function sqlTypeName(written: string): string {
  const lower = written
    .toLowerCase()
    .replace(/\s*\(.*\)\s*/, '')
    .replace(/\[\]\s*$/, '')
    .trim();
  const canonical: Record<string, string> = {
    'character varying': 'varchar',
    'timestamp with time zone': 'timestamptz',
    'timestamp without time zone': 'timestamp',
    int: 'integer',
    int4: 'integer',
    int8: 'bigint',
    float8: 'double precision',
    decimal: 'numeric',
  };
  return canonical[lower] ?? lower;
}
