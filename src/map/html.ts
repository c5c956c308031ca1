/**
 * The map as one self-contained HTML file, read offline: no CDN, no network, the style and the
 * script inline, the diagrams drawn as inline SVG by that script. The data is the map model itself
 * (what `--format json` prints), embedded as JSON; the page draws each service and each schema
 * only when its section is opened, so a map of hundreds of tables opens at once.
 *
 * Names come from the repository: they reach the page only as JSON data (every `<` escaped, so no
 * name can end the script element) and are put in the document as text by the script, never as
 * markup.
 */
import type { ArchitectureMap } from './build.js';
import { MAP_CLIENT_SCRIPT } from './html-client.js';

export function renderHtml(map: ArchitectureMap): string {
  const data = JSON.stringify(map)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Architecture map</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Architecture map</h1>
<input id="search" type="search" placeholder="Filter services, endpoints, tables…" aria-label="Filter services, endpoints and tables" autocomplete="off">
<span id="counts" aria-live="polite"></span>
</header>
<main>
<section id="services"><h2>Services</h2><div id="service-list"></div></section>
<section id="calls" hidden><h2>Calls between services</h2><ul id="call-list"></ul><p id="calls-left" class="empty"></p></section>
<section id="schemas"><h2>Schemas</h2><div id="schema-list"></div></section>
<section id="shared" hidden><h2>Tables shared across services</h2><ul id="shared-list"></ul></section>
</main>
<script type="application/json" id="map-data">${data}</script>
<script>${MAP_CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --bad: #cf222e; --badbg: #ffebe9;
  --key: #0969da; --fk: #8250df; font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font-size: 14px; }
header { position: sticky; top: 0; z-index: 2; display: flex; gap: 16px; align-items: center; padding: 10px 20px;
  background: var(--bg); border-bottom: 1px solid var(--line); }
h1 { font-size: 18px; margin: 0; }
h2 { font-size: 16px; margin: 18px 0 8px; }
#search { flex: 0 1 360px; padding: 6px 10px; font-size: 14px; border: 1px solid var(--line); border-radius: 6px; }
#counts { color: var(--muted); }
main { padding: 0 20px 40px; }
details.node { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; background: #fff; }
details.node > summary { cursor: pointer; padding: 8px 12px; list-style-position: inside; }
details.node[open] > summary { border-bottom: 1px solid var(--line); background: var(--bg); }
summary .name { font-weight: 600; }
summary .meta { color: var(--muted); margin-left: 8px; }
.badge { display: inline-block; min-width: 20px; padding: 0 6px; margin-left: 8px; border-radius: 10px; font-size: 12px;
  line-height: 18px; text-align: center; background: var(--badbg); color: var(--bad); font-weight: 600; }
.badge.ok { background: #dafbe1; color: #1a7f37; }
.hits { margin-left: 8px; color: var(--key); font-size: 12px; }
.body { padding: 10px 12px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 10px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
code, .loc { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
.loc { color: var(--muted); }
table.list { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
table.list th, table.list td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.list td { overflow-wrap: anywhere; }
summary .where { margin-left: 10px; }
table.list th { color: var(--muted); font-weight: 600; font-size: 12px; }
tr.marked td:first-child, li.marked { color: var(--bad); }
.method { font-weight: 600; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
ul#call-list { margin: 4px 0 8px; padding-left: 20px; }
ul#call-list li { margin: 2px 0; }
.via { color: var(--muted); font-size: 12px; }
ul.findings, ul.marks { margin: 4px 0 12px; padding-left: 20px; }
.rule { color: var(--fk); font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
.er { position: relative; border: 1px solid var(--line); border-radius: 6px; background: #fbfcfd; margin-bottom: 10px; }
.er svg { display: block; width: 100%; touch-action: none; cursor: grab; user-select: none; }
.er svg.panning { cursor: grabbing; }
.er .tools { position: absolute; top: 6px; right: 6px; display: flex; gap: 4px; }
.er .tools button { width: 28px; height: 26px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
.legend { color: var(--muted); font-size: 12px; margin: 0 0 8px; }
.legend .bad { color: var(--bad); }
svg .tbl rect.box { fill: #fff; stroke: #8c959f; }
svg .tbl rect.head { fill: #ddf4ff; }
svg .tbl.nopk rect.box { stroke: var(--bad); stroke-width: 2; }
svg .tbl.nopk rect.head { fill: var(--badbg); }
svg .tbl.dim { opacity: 0.2; }
svg .tbl.hit rect.box { stroke: var(--key); stroke-width: 2.5; }
svg text { font-size: 12px; fill: var(--fg); }
svg text.tname { font-weight: 600; }
svg text.pk { fill: var(--key); }
svg text.fk { fill: var(--fk); }
svg text.unindexed, svg text.nopk-label { fill: var(--bad); font-weight: 600; }
svg text.more { fill: var(--muted); font-style: italic; }
svg path.edge { fill: none; stroke: #8c959f; stroke-width: 1.2; }
svg path.edge:not(.unindexed) { stroke-opacity: 0.6; }
svg path.edge.lit { stroke: var(--key); stroke-opacity: 1; stroke-width: 2.5; }
svg path.edge.unindexed { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 6 4; }
svg circle.count { fill: var(--bad); }
svg text.count { fill: #fff; font-size: 11px; font-weight: 700; }
.hidden { display: none !important; }
.empty { color: var(--muted); }
`;
