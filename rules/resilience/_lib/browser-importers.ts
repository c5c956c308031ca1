/**
 * Judging a module by the code that imports it, for resilience/http-client-timeouts: a helper
 * whose every importer runs in the browser (or is a one-off script or command) makes its requests
 * from there, where the user waits and can cancel, not a server's workers.
 */
import { TEST_CODE, isOneOffForRequests } from '../../perf/_lib/one-off-code.js';
import type { ImporterVerdict } from '../../perf/_lib/importers.js';

/**
 * Code that can only run in a browser (or a mobile app): a `'use client'` module, a React client
 * hook or a component that keeps state or effects (a server component cannot call useState,
 * useEffect, useContext …), a custom hook module, a Vue or Svelte component, a browser-only
 * library, or the DOM. A `.tsx` file alone is not enough: a server component is one too.
 */
const USE_CLIENT = /^\s*['"]use client['"]/m;
const CLIENT_HOOK_CALL = /\buse(State|Effect|LayoutEffect|Reducer|Context|Ref|SyncExternalStore|Transition|Optimistic)\s*[<(]/;
const HOOK_MODULE = /(^|\/)use(-[a-z][\w-]*|[A-Z]\w*)\.[cm]?[jt]sx?$/;
const BROWSER_ONLY =
  /from\s+['"](react-dom|react-native|vue|svelte|preact|solid-js|zustand|jotai|swr|@tanstack\/(react|vue|svelte|solid)-query|@angular\/[\w-]+|expo|expo-[\w-]+)['"/]|\bimport\.meta\.env\.VITE_|\bwindow\.\w|\bdocument\.(createElement|querySelector|getElementById|body|cookie)\b|\bnew XMLHttpRequest\b/;

export function runsInBrowser(path: string, text: string): boolean {
  return /\.(vue|svelte)$/.test(path) || USE_CLIENT.test(text) || CLIENT_HOOK_CALL.test(text) || HOOK_MODULE.test(path) || BROWSER_ONLY.test(text);
}

/** Browser code and one-off scripts or commands make a module client code; a test imports anything and says nothing. */
export function clientImporter(path: string, text: string): ImporterVerdict {
  if (TEST_CODE.test(path)) return 'neutral';
  return runsInBrowser(path, text) || isOneOffForRequests(path, text) ? 'kind' : 'other';
}
