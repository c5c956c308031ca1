/**
 * The script of the HTML map (html.ts), run by the browser that opens the file: it reads the map
 * model from the page's JSON, lists the services and schemas as collapsed sections, draws a section
 * (its routes, its entity-relationship diagram as SVG) only when it is first opened, filters on
 * the search box, and zooms and pans the diagrams. Plain ES2020, no library; every name from the
 * repository goes into the page with textContent / setAttribute, never as markup.
 *
 * Kept as source text (no backquote and no dollar-brace inside, so it sits in a raw template).
 */
export const MAP_CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var SVGNS = 'http://www.w3.org/2000/svg';
  var map = JSON.parse(document.getElementById('map-data').textContent);
  var query = '';
  var sections = [];
  var totalTables = map.schemas.reduce(function (n, s) { return n + s.tables.length; }, 0);
  var openAll = totalTables <= 40 && map.services.length <= 12;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) {
      if (key === 'text') node.textContent = attrs[key];
      else if (key === 'className') node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    }
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVGNS, tag);
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  function loc(file, line) { return el('span', { className: 'loc', text: file + ':' + line }); }
  function badge(n) {
    var b = el('span', { className: n ? 'badge' : 'badge ok', text: String(n), title: plural(n, 'finding') });
    b.setAttribute('data-findings', String(n));
    return b;
  }
  function contains(text, q) { return String(text).toLowerCase().indexOf(q) !== -1; }
  function findingList(findings) {
    if (findings.length === 0) return null;
    return el('ul', { className: 'findings' }, findings.map(function (f) {
      return el('li', { className: 'finding' }, [
        loc(f.file, f.line), document.createTextNode(' '), el('span', { className: 'rule', text: f.ruleId }),
        document.createTextNode(' ' + f.message),
      ]);
    }));
  }

  // A collapsed section whose body is built the first time it opens.
  function section(kind, id, summaryParts, build, filter) {
    var details = el('details', { className: 'node ' + kind, id: id });
    details.setAttribute('data-kind', kind);
    var hits = el('span', { className: 'hits' });
    var summary = el('summary', {}, summaryParts.concat([hits]));
    var body = el('div', { className: 'body' });
    details.appendChild(summary);
    details.appendChild(body);
    var entry = { details: details, body: body, hits: hits, built: false, build: build, filter: filter, view: null };
    details.addEventListener('toggle', function () { if (details.open) ensureBuilt(entry); });
    sections.push(entry);
    return details;
  }

  // Services.
  var serviceList = document.getElementById('service-list');
  if (map.services.length === 0) serviceList.appendChild(el('p', { className: 'empty', text: 'No services found.' }));
  map.services.forEach(function (service, i) {
    var kind = service.framework ? service.framework : service.source === 'openapi' ? 'OpenAPI' : service.source;
    var summary = [
      el('span', { className: 'name', text: service.name }),
      el('span', { className: 'meta', text: '(' + kind + ') · ' + plural(service.endpoints, 'endpoint') +
        (service.databases.length ? ' · ' + plural(service.databases.length, 'database') : '') }),
      badge(service.findings),
      el('span', { className: 'where loc', text: service.file + ':' + service.line }),
    ];
    var node = section('service', 'service-' + i, summary, function (body) { return buildService(body, service); },
      function (q) {
        if (!q) return { visible: true, hits: 0 };
        var self = contains(service.name, q) || contains(kind, q) || contains(service.file, q);
        var routes = service.routes.filter(function (r) { return contains(r.method + ' ' + r.path, q); }).length;
        var mounts = Object.keys(service.prefixes).filter(function (p) { return contains(p, q); }).length;
        return { visible: self || routes > 0 || mounts > 0, hits: routes, self: self };
      });
    node.setAttribute('data-name', service.name);
    serviceList.appendChild(node);
  });

  function buildService(body, service) {
    var roles = Object.keys(service.roles).sort().map(function (r) { return service.roles[r] + ' ' + r; }).join(', ');
    var mounts = Object.keys(service.prefixes)
      .sort(function (a, b) { return service.prefixes[b] - service.prefixes[a] || (a < b ? -1 : 1); });
    var facts = el('dl', { className: 'facts' });
    function fact(name, value) { facts.appendChild(el('dt', { text: name })); facts.appendChild(el('dd', {}, [value])); }
    fact('declared at', loc(service.file, service.line));
    fact('source', document.createTextNode(service.source + (service.deployable ? ' · deployable' : '')));
    fact('endpoints', document.createTextNode(service.endpoints + (roles ? ': ' + roles : '')));
    fact('versioned', document.createTextNode(service.versioned + ' resource endpoint' + (service.versioned === 1 ? '' : 's')));
    var mountList = el('span', { className: 'mounts' }, mounts.map(function (m, j) {
      return el('span', { className: 'mount', text: (j ? ', ' : '') + m + ' (' + service.prefixes[m] + ')' });
    }));
    fact('mounts', mountList);
    var dbs = el('span', {}, service.databases.map(function (root, j) {
      var index = map.schemas.findIndex(function (s) { return s.root === root; });
      var a = el('a', { href: '#schema-' + index, text: (j ? ', ' : '') + root });
      a.addEventListener('click', function () { openSection('schema-' + index); });
      return a;
    }));
    fact('databases', service.databases.length ? dbs : document.createTextNode('none'));
    var calls = map.calls || [];
    var out = calls.filter(function (c) { return c.from === service.id; });
    var into = calls.filter(function (c) { return c.to === service.id; });
    if (out.length) fact('calls', callLinks(out, 'to'));
    if (into.length) fact('called by', callLinks(into, 'from'));
    body.appendChild(facts);
    var findings = findingList(service.reported);
    if (findings) { body.appendChild(el('h3', { text: 'Findings' })); body.appendChild(findings); }
    var rows = service.routes.map(function (r) {
      return el('tr', { className: 'route' }, [
        el('td', { className: 'method', text: r.method.toUpperCase() }), el('td', { text: r.path }),
        el('td', { text: r.role }), el('td', {}, [loc(r.file, r.line)]),
      ]);
    });
    var table = el('table', { className: 'list routes' }, [
      el('thead', {}, [el('tr', {}, ['method', 'path', 'role', 'declared at'].map(function (h) { return el('th', { text: h }); }))]),
      el('tbody', {}, rows),
    ]);
    body.appendChild(table);
    return {
      filter: function (q, result) {
        service.routes.forEach(function (r, j) {
          rows[j].classList.toggle('hidden', !!q && !result.self && !contains(r.method + ' ' + r.path, q));
        });
      },
    };
  }

  function serviceIndex(id) { return map.services.findIndex(function (s) { return s.id === id; }); }
  // Links to the services at one end of calls, with how many requests each.
  function callLinks(calls, end) {
    return el('span', { className: 'calls' }, calls.map(function (c, j) {
      var index = serviceIndex(c[end]);
      var a = el('a', { href: '#service-' + index, text: (j ? ', ' : '') + (index >= 0 ? map.services[index].name : c[end]) +
        ' (' + plural(c.sites.length, 'call') + ')' });
      a.addEventListener('click', function () { openSection('service-' + index); });
      return a;
    }));
  }

  // Requests one service makes to another, with where they are made; how many had an unknown target.
  var callList = document.getElementById('call-list');
  (map.calls || []).forEach(function (c) {
    var from = serviceIndex(c.from), to = serviceIndex(c.to);
    var item = el('li', { className: 'call' }, [
      el('span', { className: 'name', text: (from >= 0 ? map.services[from].name : c.from) + ' → ' + (to >= 0 ? map.services[to].name : c.to) }),
      el('span', { className: 'via', text: ' ' + c.via.join(', ') + ' · ' + plural(c.sites.length, 'call') + ': ' }),
    ].concat(c.sites.map(function (site, j) { return el('span', { className: 'loc', text: (j ? ', ' : '') + site.file + ':' + site.line }); })));
    callList.appendChild(item);
  });
  if ((map.calls || []).length || map.callsLeftOut) {
    document.getElementById('calls').hidden = false;
    document.getElementById('calls-left').textContent = map.callsLeftOut
      ? plural(map.callsLeftOut, 'outbound request') + ' left out: no other service of this repository is known to be their target (or no one service their caller).'
      : '';
  }

  // Schemas and their entity-relationship diagrams.
  var schemaList = document.getElementById('schema-list');
  if (map.schemas.length === 0) schemaList.appendChild(el('p', { className: 'empty', text: 'No schemas found.' }));
  map.schemas.forEach(function (schema, i) {
    var marks = schema.tables.filter(function (t) { return t.missingPrimaryKey; }).length +
      schema.tables.reduce(function (n, t) { return n + t.foreignKeys.filter(function (fk) { return !fk.indexed; }).length; }, 0);
    var summary = [
      el('span', { className: 'name', text: schema.root }),
      el('span', { className: 'meta', text: '(' + schema.dialect + ') · ' + plural(schema.tables.length, 'table') +
        (marks ? ' · ' + marks + ' marked' : '') }),
      badge(schema.findings),
    ];
    var node = section('schema', 'schema-' + i, summary, function (body) { return buildSchema(body, schema); },
      function (q) {
        if (!q) return { visible: true, hits: 0 };
        var self = contains(schema.root, q);
        var tables = schema.tables.filter(function (t) { return contains(t.name, q); }).length;
        return { visible: self || tables > 0, hits: tables, self: self };
      });
    node.setAttribute('data-name', schema.root);
    schemaList.appendChild(node);
  });

  var BOX_W = 250, HEAD_H = 26, ROW_H = 17, MAX_ROWS = 12, GAP_X = 70, GAP_Y = 46;

  // Tables in an order that keeps foreign-key neighbours close: breadth-first from the most connected.
  function layoutOrder(tables) {
    var index = new Map(tables.map(function (t, i) { return [t.name, i]; }));
    var adj = tables.map(function () { return []; });
    tables.forEach(function (t, i) {
      t.foreignKeys.forEach(function (fk) {
        var j = index.get(fk.references.table);
        if (j !== undefined && j !== i) { adj[i].push(j); adj[j].push(i); }
      });
    });
    var byDegree = tables.map(function (t, i) { return i; })
      .sort(function (a, b) { return adj[b].length - adj[a].length || a - b; });
    var seen = new Array(tables.length).fill(false);
    var order = [];
    byDegree.forEach(function (start) {
      if (seen[start]) return;
      var queue = [start];
      seen[start] = true;
      while (queue.length) {
        var k = queue.shift();
        order.push(k);
        adj[k].slice().sort(function (a, b) { return adj[b].length - adj[a].length || a - b; }).forEach(function (j) {
          if (!seen[j]) { seen[j] = true; queue.push(j); }
        });
      }
    });
    return order;
  }

  function clip(text, n) { return text.length > n ? text.slice(0, n - 1) + '…' : text; }

  function buildSchema(body, schema) {
    var tables = schema.tables;
    var order = layoutOrder(tables);
    var cols = Math.max(1, Math.min(tables.length, Math.ceil(Math.sqrt(tables.length * 1.5))));
    var boxes = new Array(tables.length);
    var y = 20;
    for (var r = 0; r * cols < order.length; r++) {
      var rowH = 0;
      for (var c = 0; c < cols && r * cols + c < order.length; c++) {
        var k = order[r * cols + c];
        var t = tables[k];
        var pk = new Set(t.primaryKey || []);
        var fkCols = new Set();
        t.foreignKeys.forEach(function (fk) { fk.columns.forEach(function (name) { fkCols.add(name); }); });
        var keyed = t.columns.filter(function (col) { return pk.has(col.name) || fkCols.has(col.name); });
        var rest = t.columns.filter(function (col) { return !pk.has(col.name) && !fkCols.has(col.name); });
        var shown = keyed.concat(rest.slice(0, Math.max(0, MAX_ROWS - keyed.length)));
        var more = t.columns.length - shown.length;
        var lines = shown.length + (more > 0 ? 1 : 0) + (t.missingPrimaryKey ? 1 : 0);
        var h = HEAD_H + Math.max(1, lines) * ROW_H + 8;
        boxes[k] = { x: 60 + c * (BOX_W + GAP_X), y: y, h: h, shown: shown, more: more, pk: pk, fkCols: fkCols };
        rowH = Math.max(rowH, h);
      }
      y += rowH + GAP_Y;
    }
    var width = 60 + cols * (BOX_W + GAP_X) - GAP_X + 60;
    var height = Math.max(y - GAP_Y + 20, 120);

    var wrap = el('div', { className: 'er' });
    var root = svg('svg', { role: 'img', 'aria-label': 'Entity-relationship diagram of ' + schema.root });
    var viewportH = Math.min(height, Math.max(320, Math.round(window.innerHeight * 0.7)));
    root.style.height = viewportH + 'px';
    var edges = svg('g', { class: 'edges' });
    var nodes = svg('g', { class: 'tables' });
    root.appendChild(edges);
    root.appendChild(nodes);
    var index = new Map(tables.map(function (t, i) { return [t.name, i]; }));
    var groups = new Array(tables.length);
    var edgesOf = Object.create(null);

    tables.forEach(function (t, k) {
      var b = boxes[k];
      var g = svg('g', { class: 'tbl' + (t.missingPrimaryKey ? ' nopk' : ''), transform: 'translate(' + b.x + ',' + b.y + ')' });
      g.setAttribute('data-table', t.name);
      var tip = t.name + '  ' + t.file + ':' + t.line + t.reported.map(function (f) {
        return '\n' + f.ruleId + '  ' + f.file + ':' + f.line + '  ' + f.message;
      }).join('');
      g.appendChild(svg('title', {}, tip));
      g.appendChild(svg('rect', { class: 'box', width: BOX_W, height: b.h, rx: 4 }));
      g.appendChild(svg('rect', { class: 'head', x: 1, y: 1, width: BOX_W - 2, height: HEAD_H - 1, rx: 3 }));
      g.appendChild(svg('text', { class: 'tname', x: 8, y: 17 }, clip(t.name, t.findings ? 28 : 32)));
      if (t.findings) {
        g.appendChild(svg('circle', { class: 'count', cx: BOX_W - 14, cy: 13, r: 9 }));
        g.appendChild(svg('text', { class: 'count', x: BOX_W - 14, y: 17, 'text-anchor': 'middle' }, String(t.findings)));
      }
      var line = 0;
      b.rowOf = {};
      if (t.missingPrimaryKey) {
        g.appendChild(svg('text', { class: 'nopk-label', x: 8, y: HEAD_H + 13 }, '⚠ no primary key'));
        line++;
      }
      b.shown.forEach(function (col) {
        var isPk = b.pk.has(col.name);
        var fk = t.foreignKeys.find(function (f) { return f.columns.indexOf(col.name) !== -1; });
        var unindexed = t.foreignKeys.some(function (f) { return !f.indexed && f.columns.indexOf(col.name) !== -1; });
        var tag = (isPk ? 'PK ' : '') + (fk ? 'FK ' : '');
        var cls = unindexed ? 'unindexed' : isPk ? 'pk' : fk ? 'fk' : '';
        var ty = HEAD_H + 13 + line * ROW_H;
        var text = svg('text', { class: cls, x: 8, y: ty }, clip(tag + col.name, 30));
        if (unindexed) text.appendChild(svg('title', {}, 'unindexed foreign key'));
        g.appendChild(text);
        g.appendChild(svg('text', { class: unindexed ? 'unindexed' : 'more', x: BOX_W - 8, y: ty, 'text-anchor': 'end' },
          unindexed ? '⚠ no index' : clip(col.type, 12)));
        b.rowOf[col.name] = ty - 4;
        line++;
      });
      if (b.more > 0) g.appendChild(svg('text', { class: 'more', x: 8, y: HEAD_H + 13 + line * ROW_H }, '+' + b.more + ' more columns'));
      nodes.appendChild(g);
      groups[k] = g;
    });

    tables.forEach(function (t, k) {
      var from = boxes[k];
      t.foreignKeys.forEach(function (fk) {
        var j = index.get(fk.references.table);
        if (j === undefined) return;
        var to = boxes[j];
        var fy = from.y + (from.rowOf[fk.columns[0]] !== undefined ? from.rowOf[fk.columns[0]] : HEAD_H / 2);
        var ty = to.y + HEAD_H / 2;
        var d;
        if (j === k) {
          var x = from.x + BOX_W;
          d = 'M' + x + ',' + fy + ' C' + (x + 40) + ',' + fy + ' ' + (x + 40) + ',' + ty + ' ' + x + ',' + ty;
        } else {
          var rightward = to.x > from.x + BOX_W / 2;
          var leftward = to.x + BOX_W / 2 < from.x;
          var fx = rightward ? from.x + BOX_W : from.x;
          var tx = rightward ? to.x : leftward ? to.x + BOX_W : to.x;
          var bend = rightward ? 50 : -50;
          var bend2 = rightward ? -50 : leftward ? 50 : -50;
          d = 'M' + fx + ',' + fy + ' C' + (fx + bend) + ',' + fy + ' ' + (tx + bend2) + ',' + ty + ' ' + tx + ',' + ty;
        }
        var path = svg('path', { class: 'edge' + (fk.indexed ? '' : ' unindexed'), d: d });
        path.setAttribute('data-from', t.name);
        path.setAttribute('data-to', fk.references.table);
        path.appendChild(svg('title', {}, t.name + '(' + fk.columns.join(', ') + ') → ' + fk.references.table +
          '(' + fk.references.columns.join(', ') + ')' + (fk.indexed ? '' : ': unindexed foreign key') + '  ' + fk.file + ':' + fk.line));
        edges.appendChild(path);
        (edgesOf[t.name] = edgesOf[t.name] || []).push(path);
        (edgesOf[fk.references.table] = edgesOf[fk.references.table] || []).push(path);
      });
    });
    // Hovering a table brings out its foreign keys, both ways.
    groups.forEach(function (g, k) {
      function lit(on) { (edgesOf[tables[k].name] || []).forEach(function (p) { p.classList.toggle('lit', on); }); }
      g.addEventListener('mouseenter', function () { lit(true); });
      g.addEventListener('mouseleave', function () { lit(false); });
    });

    // Zoom (wheel, buttons) and pan (drag) by moving the viewBox.
    var view = { x: 0, y: 0, w: width, h: height };
    function aspect() { var r = root.getBoundingClientRect(); return r.width > 0 ? r.height / r.width : viewportH / 1000; }
    function apply() { root.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + view.w + ' ' + view.h); }
    function fit() {
      var a = aspect();
      if (width * a >= height) { view.w = width; view.h = width * a; view.x = 0; view.y = -(view.h - height) / 2; }
      else { view.h = height; view.w = height / a; view.y = 0; view.x = -(view.w - width) / 2; }
      apply();
    }
    // First view: the whole diagram when its text stays readable, else its top-left corner at 60 %.
    function initial() {
      var r = root.getBoundingClientRect();
      fit();
      if (r.width > 0 && view.w / r.width > 1 / 0.6) {
        view.w = r.width / 0.6; view.h = view.w * aspect(); view.x = 0; view.y = 0;
        apply();
      }
    }
    function zoom(factor, cx, cy) {
      var nw = Math.min(Math.max(view.w * factor, 100), Math.max(width, height) * 6);
      var f = nw / view.w;
      view.x = cx - (cx - view.x) * f; view.y = cy - (cy - view.y) * f; view.w = nw; view.h = view.h * f;
      apply();
    }
    function toUser(evt) {
      var r = root.getBoundingClientRect();
      return { x: view.x + (evt.clientX - r.left) / r.width * view.w, y: view.y + (evt.clientY - r.top) / r.height * view.h };
    }
    root.addEventListener('wheel', function (evt) {
      evt.preventDefault();
      var p = toUser(evt);
      zoom(evt.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
    }, { passive: false });
    var drag = null;
    root.addEventListener('pointerdown', function (evt) {
      drag = { x: evt.clientX, y: evt.clientY, vx: view.x, vy: view.y };
      root.setPointerCapture(evt.pointerId);
      root.classList.add('panning');
    });
    root.addEventListener('pointermove', function (evt) {
      if (!drag) return;
      var r = root.getBoundingClientRect();
      view.x = drag.vx - (evt.clientX - drag.x) / r.width * view.w;
      view.y = drag.vy - (evt.clientY - drag.y) / r.height * view.h;
      apply();
    });
    function endDrag() { drag = null; root.classList.remove('panning'); }
    root.addEventListener('pointerup', endDrag);
    root.addEventListener('pointercancel', endDrag);
    function button(label, title, action) {
      var b = el('button', { type: 'button', text: label, title: title, 'aria-label': title });
      b.addEventListener('click', action);
      return b;
    }
    var tools = el('div', { className: 'tools' }, [
      button('+', 'Zoom in', function () { zoom(1 / 1.3, view.x + view.w / 2, view.y + view.h / 2); }),
      button('−', 'Zoom out', function () { zoom(1.3, view.x + view.w / 2, view.y + view.h / 2); }),
      button('⤢', 'Fit', fit),
    ]);
    wrap.appendChild(root);
    wrap.appendChild(tools);
    body.appendChild(el('p', { className: 'legend' }, [
      document.createTextNode('PK primary key · FK foreign key · '),
      el('span', { className: 'bad', text: 'red: table without a primary key, unindexed foreign key (dashed)' }),
      document.createTextNode(' · wheel or buttons to zoom, drag to pan'),
    ]));
    body.appendChild(wrap);
    initial();

    var marks = [];
    tables.forEach(function (t) {
      if (t.missingPrimaryKey) marks.push(el('li', { className: 'marked' }, [document.createTextNode(t.name + ' has no primary key '), loc(t.file, t.line)]));
      t.foreignKeys.forEach(function (fk) {
        if (!fk.indexed) marks.push(el('li', { className: 'marked' }, [
          document.createTextNode(t.name + '(' + fk.columns.join(', ') + ') → ' + fk.references.table + ' has no index '), loc(fk.file, fk.line),
        ]));
      });
    });
    if (marks.length) { body.appendChild(el('h3', { text: 'Marked' })); body.appendChild(el('ul', { className: 'marks' }, marks)); }

    var rows = tables.map(function (t) {
      var fks = t.foreignKeys.map(function (fk) {
        return fk.columns.join(', ') + ' → ' + fk.references.table + (fk.indexed ? '' : ' (unindexed)');
      }).join('; ');
      var row = el('tr', { className: 'table-row' + (t.missingPrimaryKey || t.foreignKeys.some(function (fk) { return !fk.indexed; }) ? ' marked' : '') }, [
        el('td', { className: 'tname', text: t.name }),
        el('td', { className: 'pk', text: t.primaryKey ? t.primaryKey.join(', ') : 'none' }),
        el('td', { className: 'fks', text: fks }),
        el('td', {}, [badge(t.findings)]),
        el('td', {}, [loc(t.file, t.line)]),
      ]);
      row.setAttribute('data-table', t.name);
      return row;
    });
    body.appendChild(el('table', { className: 'list tables' }, [
      el('thead', {}, [el('tr', {}, ['table', 'primary key', 'foreign keys', 'findings', 'declared at'].map(function (h) { return el('th', { text: h }); }))]),
      el('tbody', {}, rows),
    ]));
    var findings = findingList(schema.reported);
    if (findings) { body.appendChild(el('h3', { text: 'Findings' })); body.appendChild(findings); }
    return {
      filter: function (q, result) {
        tables.forEach(function (t, k) {
          var match = !q || result.self || contains(t.name, q);
          rows[k].classList.toggle('hidden', !match);
          groups[k].classList.toggle('dim', !match);
          groups[k].classList.toggle('hit', !!q && !result.self && match);
        });
      },
    };
  }

  // Tables that more than one service's migrations create or change.
  if (map.sharedTables.length) {
    document.getElementById('shared').hidden = false;
    var list = document.getElementById('shared-list');
    map.sharedTables.forEach(function (s) {
      list.appendChild(el('li', {}, [el('code', { text: s.table }), document.createTextNode(': ' + s.schemas.join(', '))]));
    });
  }

  function ensureBuilt(entry) {
    if (entry.built) return;
    entry.built = true;
    entry.view = entry.build(entry.body);
    applyFilter(entry);
  }

  function openSection(id) {
    var d = document.getElementById(id);
    if (d && !d.open) d.open = true;
  }

  function applyFilter(entry) {
    var result = entry.filter(query);
    entry.details.classList.toggle('hidden', !result.visible);
    entry.hits.textContent = query && result.hits ? result.hits + ' matching' : '';
    if (entry.view) entry.view.filter(query, result);
    return result.visible;
  }

  var counts = document.getElementById('counts');
  function refresh() {
    var shownServices = 0, shownSchemas = 0;
    sections.forEach(function (entry) {
      var visible = applyFilter(entry);
      if (visible && entry.details.getAttribute('data-kind') === 'service') shownServices++;
      if (visible && entry.details.getAttribute('data-kind') === 'schema') shownSchemas++;
    });
    counts.textContent = (query ? shownServices + ' of ' : '') + plural(map.services.length, 'service') + ' · ' +
      (query ? shownSchemas + ' of ' : '') + plural(map.schemas.length, 'schema') + ' · ' + plural(totalTables, 'table');
  }
  var pending = 0;
  document.getElementById('search').addEventListener('input', function (evt) {
    clearTimeout(pending);
    pending = setTimeout(function () { query = evt.target.value.trim().toLowerCase(); refresh(); }, 80);
  });
  window.addEventListener('hashchange', function () { if (location.hash) openSection(location.hash.slice(1)); });

  refresh();
  if (openAll) sections.forEach(function (entry) { entry.details.open = true; ensureBuilt(entry); });
  document.body.setAttribute('data-rendered', String(performance.now()));
})();
`;
