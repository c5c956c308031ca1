/** What the routes input reads of a service's callers: paths named by UI code, third-party credentials read. */
import { describe, expect, it } from 'vitest';
import type { CodeFile } from '../src/inputs/code/index.js';
import {
  pathsNamedByCommandLineCode,
  pathsNamedByInterfaceCode,
  programKeyCredential,
  thirdPartyCredential,
} from '../src/inputs/routes/first-party.js';

const file = (
  path: string,
  content: string,
  runtime: CodeFile['runtime'] = 'server',
  reach: CodeFile['reach'] = 'server',
) => ({ path, text: { content }, runtime, reach }) as unknown as CodeFile;

describe('pathsNamedByInterfaceCode', () => {
  it('reads paths from UI code, parameters and substitutions as *, and ignores other servers and files', () => {
    const ui = file(
      'web/src/api.ts',
      "fetch('/api/apps?x=1'); get(`/apps/${id}/logs`); fetch(`${BASE}/apps/${id}`); fetch('https://api.github.com/repos'); img('/logo.svg'); t('Hello world')",
      'browser',
    );
    expect(pathsNamedByInterfaceCode([ui])).toEqual([
      ['api', 'apps'],
      ['apps', '*', 'logs'],
      ['apps', '*'],
    ]);
  });

  it('reads JSX components of a server-rendering package, not plain server modules', () => {
    expect(pathsNamedByInterfaceCode([file('ui/components/List.tsx', "fetch('/api/items')")])).toEqual([
      ['api', 'items'],
    ]);
    expect(pathsNamedByInterfaceCode([file('server/client.ts', "fetch('/api/items')")])).toEqual([]);
  });
});

describe('pathsNamedByCommandLineCode', () => {
  it('reads the paths a command-line program of the repository names, not those of server code', () => {
    const cli = file('cli.js', "await fetch(`${host}/api/secret`, { method: 'POST' })", 'server', 'cli');
    expect(pathsNamedByCommandLineCode([cli, file('server.js', "app.post('/api/secret', create)")])).toEqual([
      ['api', 'secret'],
    ]);
  });
});

describe('thirdPartyCredential', () => {
  it('finds inbound reads of an Authorization header, an API key or a bearer strategy', () => {
    expect(thirdPartyCredential([file('a.ts', 'const t = req.headers.authorization;')])).toMatch(/authorization/);
    expect(thirdPartyCredential([file('a.ts', "const k = c.req.header('X-API-Key');")])).toMatch(/X-API-Key/);
    expect(thirdPartyCredential([file('a.ts', 'jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),')])).toMatch(
      /fromAuthHeader/,
    );
    expect(thirdPartyCredential([file('a.ts', "const k = req.header('Authorization-Flame');")])).toMatch(/Flame/);
    // Destructured from the request's headers.
    expect(
      thirdPartyCredential([
        file('a.ts', 'const { session_token } = request.cookies;\nconst { authorization } = request.headers;'),
      ]),
    ).toMatch(/authorization \} = request\.headers/);
    expect(thirdPartyCredential([file('a.ts', "const { 'x-api-key': key, host } = req.headers;")])).toMatch(
      /x-api-key/,
    );
  });

  it('ignores outbound requests the service builds, browser code and cookie sessions', () => {
    expect(
      thirdPartyCredential([
        file(
          'a.ts',
          "config.headers.Authorization = `Bearer ${token}`; fetch(url, { headers: { 'x-api-key': key } });",
        ),
        file('b.ts', 'const s = req.session.userId; const c = req.cookies.sid;'),
        // An outbound request's headers, built from a destructured value: no read of the request's own.
        file('c.ts', 'const { token } = options; const h = { authorization: token };\nconst { host } = req.headers;'),
        file('web/api.ts', 'const t = req.headers.authorization;', 'browser'),
      ]),
    ).toBeUndefined();
  });
});

describe('programKeyCredential', () => {
  it('finds keys handed out for programs: API-key headers and queries, API-key strategies, basic auth, Swagger schemes', () => {
    expect(programKeyCredential([file('a.ts', "const k = c.req.header('X-API-Key');")])).toMatch(/X-API-Key/);
    expect(programKeyCredential([file('a.ts', 'const k = req.query.api_key;')])).toMatch(/api_key/);
    expect(programKeyCredential([file('a.ts', "const { 'x-api-key': key } = req.headers;")])).toMatch(/x-api-key/);
    expect(
      programKeyCredential([file('a.ts', 'passport.use(new HeaderAPIKeyStrategy(options, false, verify));')]),
    ).toMatch(/HeaderAPIKeyStrategy/);
    expect(programKeyCredential([file('a.ts', "app.use(basicAuth({ users: { admin: 'x' } }));")])).toMatch(/basicAuth/);
    expect(programKeyCredential([file('a.ts', '@ApiBearerAuth()\nexport class OrdersController {}')])).toMatch(
      /@ApiBearerAuth/,
    );
  });

  it('does not take the bearer token or access token a signed-in UI sends for a program key', () => {
    expect(
      programKeyCredential([
        file('a.ts', "const t = req.headers.authorization?.replace('Bearer ', '');"),
        file('b.ts', "const t = ctx.get('x-access-token');"),
        file('c.ts', 'jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),'),
        file('d.ts', 'const invite = req.query.token;'),
      ]),
    ).toBeUndefined();
  });
});
