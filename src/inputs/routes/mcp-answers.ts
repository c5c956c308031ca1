/**
 * Whether an error is answered on a request that an MCP server transport serves (ErrorSite.answersMcpClient): the
 * function that owns the response object hands it to a Model Context Protocol transport (`transport.handleRequest(req,
 * res)`, Mastra's `server.startHTTP({ req, res })`) in a file that imports an MCP server package. Its caller is an MCP
 * client (an agent, an IDE), which speaks JSON-RPC and acts on the HTTP status of a refused request; the error shapes
 * are the protocol's, as on a route at `/mcp` (a protocol endpoint). Syntactic, read from the file's imports and the
 * owning function's text.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';

const typescript = loadTypeScript();

/** Server-side MCP packages: the official SDK's server modules, and the frameworks that wrap them. */
const MCP_SERVER_IMPORT = /^(@modelcontextprotocol\/sdk\/server\b|@mastra\/mcp$|mcp-handler$|@vercel\/mcp-adapter$)/;

/** A request handed to an MCP transport: the SDK's `handleRequest`, Mastra's `startHTTP`/`startSSE`. */
const TRANSPORT_CALL = /\.(handleRequest|startHTTP|startSSE|handlePostMessage)\s*\(/;

/** How the site's request is served by an MCP transport, as written; undefined when it is not seen to be. */
export function mcpAnswerOf(at: ts.Node): string | undefined {
  const file = at.getSourceFile();
  const imported = file.statements.some(
    (statement) =>
      typescript.isImportDeclaration(statement) &&
      typescript.isStringLiteral(statement.moduleSpecifier) &&
      MCP_SERVER_IMPORT.test(statement.moduleSpecifier.text),
  );
  // A dynamic `await import('@modelcontextprotocol/sdk/server/streamableHttp.js')` loads the same transport.
  if (!imported && !/import\(\s*['"`]@modelcontextprotocol\/sdk\/server/.test(file.text)) return undefined;
  for (let node = at.parent; node && !typescript.isSourceFile(node); node = node.parent) {
    if (!typescript.isFunctionLike(node) || !('body' in node) || !node.body || node.parameters.length === 0) continue;
    // The innermost function that takes the request (a handler, a middleware): what it does with it, and only that.
    const match = TRANSPORT_CALL.exec(node.body.getText());
    return match ? `the request is handed to an MCP transport (${match[1]})` : undefined;
  }
  return undefined;
}
