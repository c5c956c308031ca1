/**
 * The map as Markdown with Mermaid diagrams (GitHub renders them): one flowchart of the services,
 * their API surface and the databases they own; one entity-relationship diagram per schema, with
 * unindexed foreign keys and tables without a primary key marked, and findings counted per node.
 *
 * Names come from the repository, so every identifier is reduced to Mermaid's safe characters and
 * every label is quoted with `"` escaped as `#quot;`: a table or service name cannot break the
 * diagram or inject markup.
 */
import type { ArchitectureMap, MapSchema } from './build.js';
import { inlineCode } from '../util/inline-code.js';

export interface MermaidOptions {
  /** Level of the top heading (1: `# Architecture map`); the sections are one level below. */
  headingLevel?: number;
  /** false: no top heading (the caller gives its own, e.g. a collapsed section's summary). */
  title?: boolean;
}

export function renderMermaid(map: ArchitectureMap, options: MermaidOptions = {}): string {
  const level = Math.min(5, Math.max(1, options.headingLevel ?? 1));
  const top = '#'.repeat(level);
  const sub = '#'.repeat(level + 1);
  const out: string[] = options.title === false ? [] : [`${top} Architecture map`, ''];
  out.push(`${sub} Services`, '', '```mermaid', ...servicesFlowchart(map), '```', '');
  const names = new Map(map.services.map((service) => [service.id, service.name]));
  if (map.calls.length > 0) {
    out.push('Calls between services:', '');
    for (const call of map.calls) {
      const sites = call.sites.map((site) => inlineCode(`${site.file}:${site.line}`)).join(', ');
      out.push(
        `- ${inlineCode(names.get(call.from) ?? call.from)} → ${inlineCode(names.get(call.to) ?? call.to)} (${call.via.map(inlineCode).join(', ')}): ${sites}`,
      );
    }
    out.push('');
  }
  if (map.callsLeftOut > 0)
    out.push(
      `${map.callsLeftOut} outbound request${map.callsLeftOut === 1 ? '' : 's'} left out: no other service of this repository is known to be their target (or no one service their caller).`,
      '',
    );
  for (const schema of map.schemas) {
    out.push(`${sub} Schema ${inlineCode(schema.root)} (${schema.dialect})`, '');
    if (schema.tables.length === 0) {
      out.push('No tables.', '');
      continue;
    }
    out.push('```mermaid', ...erDiagram(schema), '```', '');
    const problems = schema.tables.flatMap((table) => [
      ...(table.missingPrimaryKey
        ? [`- ${inlineCode(table.name)} has no primary key (${inlineCode(`${table.file}:${table.line}`)})`]
        : []),
      ...table.foreignKeys
        .filter((fk) => !fk.indexed)
        .map(
          (fk) =>
            `- ${inlineCode(`${table.name}(${fk.columns.join(', ')})`)} → ${inlineCode(fk.references.table)} has no index (${inlineCode(`${fk.file}:${fk.line}`)})`,
        ),
    ]);
    if (problems.length > 0) out.push('Marked:', '', ...problems, '');
  }
  if (map.sharedTables.length > 0) {
    out.push(
      `${sub} Tables shared across services`,
      '',
      ...map.sharedTables.map(
        (shared) => `- ${inlineCode(shared.table)}: ${shared.schemas.map(inlineCode).join(', ')}`,
      ),
      '',
    );
  }
  return `${out.join('\n')}\n`;
}

function servicesFlowchart(map: ArchitectureMap): string[] {
  const lines = ['flowchart LR'];
  const schemaNode = new Map(map.schemas.map((schema, i) => [schema.root, `d${i}`]));
  map.services.forEach((service, i) => {
    const roles = Object.entries(service.roles)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([role, n]) => `${n} ${role}`)
      .join(', ');
    const mounts = Object.entries(service.prefixes)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 4)
      .map(([prefix, n]) => `${prefix} (${n})`)
      .join(', ');
    const label = [
      `${service.name}${service.framework ? ` (${service.framework})` : service.source === 'openapi' ? ' (OpenAPI)' : ''}`,
      `${service.endpoints} endpoint${service.endpoints === 1 ? '' : 's'}${roles ? `: ${roles}` : ''}`,
      ...(mounts ? [`mounts: ${mounts}`] : []),
      `${service.versioned} versioned · ${service.findings} finding${service.findings === 1 ? '' : 's'}`,
    ];
    lines.push(`  s${i}["${label.map(quote).join('<br/>')}"]`);
    for (const root of service.databases) lines.push(`  s${i} --> ${schemaNode.get(root)}`);
  });
  const serviceNode = new Map(map.services.map((service, i) => [service.id, `s${i}`]));
  for (const call of map.calls) {
    const from = serviceNode.get(call.from);
    const to = serviceNode.get(call.to);
    if (from && to)
      lines.push(`  ${from} -.->|"${call.sites.length} call${call.sites.length === 1 ? '' : 's'}"| ${to}`);
  }
  map.schemas.forEach((schema, i) => {
    const marks =
      schema.tables.filter((t) => t.missingPrimaryKey).length +
      schema.tables.reduce((n, t) => n + t.foreignKeys.filter((fk) => !fk.indexed).length, 0);
    const label = `${schema.root} (${schema.dialect})<br/>${schema.tables.length} tables · ${schema.findings} findings${marks ? ` · ${marks} marked` : ''}`;
    lines.push(`  d${i}[("${quote(label).replace(/#lt;br\/#gt;/g, '<br/>')}")]`);
  });
  if (map.services.length === 0 && map.schemas.length === 0) lines.push('  empty["nothing found"]');
  return lines;
}

function erDiagram(schema: MapSchema): string[] {
  const lines = ['erDiagram'];
  const ids = new Map<string, string>();
  const idOf = (name: string) => {
    let id = ids.get(name);
    if (!id) {
      const base = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, 't_') || 'table';
      id = [...ids.values()].includes(base) ? `${base}_${ids.size}` : base;
      ids.set(name, id);
    }
    return id;
  };
  for (const table of schema.tables) {
    const pk = new Set(table.primaryKey ?? []);
    const fkColumns = new Set(table.foreignKeys.flatMap((fk) => fk.columns));
    const label = `${table.name}${table.missingPrimaryKey ? ' (no primary key)' : ''}${table.findings ? ` · ${table.findings} findings` : ''}`;
    lines.push(`  ${idOf(table.name)}["${quote(label)}"] {`);
    for (const column of table.columns) {
      const keys = [...(pk.has(column.name) ? ['PK'] : []), ...(fkColumns.has(column.name) ? ['FK'] : [])];
      const unindexed = table.foreignKeys.some((fk) => !fk.indexed && fk.columns.includes(column.name));
      lines.push(
        `    ${word(column.type) || 'unknown'} ${word(column.name) || 'column'}${keys.length ? ` ${keys.join(', ')}` : ''}${unindexed ? ' "unindexed foreign key"' : ''}`,
      );
    }
    lines.push('  }');
  }
  for (const table of schema.tables) {
    for (const fk of table.foreignKeys) {
      const label = `${fk.columns.join(', ')}${fk.indexed ? '' : ' (unindexed)'}`;
      lines.push(`  ${idOf(fk.references.table)} ||--o{ ${idOf(table.name)} : "${quote(label)}"`);
    }
  }
  return lines;
}

/** A label inside double quotes: Mermaid's entity codes for the characters that would end or mark it up. */
function quote(text: string): string {
  return text.replace(/[#"<>]/g, (c) => ({ '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;' })[c]!);
}

/** A column name or type as one Mermaid word. */
function word(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_');
}
