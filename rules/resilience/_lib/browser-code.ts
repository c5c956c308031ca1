/**
 * Browser code: the user's tab waits, not a server's workers, and the user can cancel. A stalled
 * request there costs one page, not a service's capacity. Judged from the file's path and text
 * alone (the rule is file-scoped).
 */

/**
 * Components (.tsx/.jsx) and hooks (`hooks/`, `useThing.ts`), client-only / front-end folders, UI
 * packages (`ui/`, `internal-ui/`), and
 * embeds and widgets: a library that a site includes with a script tag runs in its visitors'
 * browsers (`packages/embeds/js/…`, `widget/`).
 */
const BROWSER_PATH =
  /\.[jt]sx$|(^|\/)(client-only|front-?end|browser|components|hooks|extension|embeds?|widgets?|ui|[\w-]+-ui)\/|(^|\/)lib\/client\/|(^|\/)[\w-]+-(web|frontend|cli)\/|(^|\/)use[A-Z]\w*\.[cm]?[jt]s$/;

/**
 * 'use client' modules, modules of a front-end framework, a client-side store or data-fetching
 * library, a mobile app (React Native, Expo), Vite client env, the DOM or the browser's navigator
 * (clipboard, geolocation…).
 */
const BROWSER_TEXT =
  /^\s*['"]use client['"]|from\s+['"](react|react-dom|react-native|vue|svelte|preact|solid-js|zustand|jotai|swr|@tanstack\/(react|vue|svelte|solid)-query|@angular\/[\w-]+|@react-navigation\/[\w-]+|expo|expo-[\w-]+|prosemirror-[\w-]+|@tiptap\/[\w-]+)['"/]|\bimport\.meta\.env\.VITE_|\bwindow\.\w|\bdocument\.(createElement|querySelector|getElementById|body|cookie)\b|\bnew XMLHttpRequest\b|\bnavigator\.(clipboard|geolocation|serviceWorker|mediaDevices|sendBeacon|share)\b|\b(localStorage|sessionStorage)\.\w/m;

/**
 * A module that imports (not only as a type) from a UI component or page of the app (`../components/run/RunSettings`,
 * `../pages/MainPage`: a PascalCase module under components/, pages/, views/ or screens/) is part of the front end
 * (a single-page app's `src/api/*.ts` calling its backend): a server module does not import the page's
 * components. Email templates (`components/emails/Invite`) are rendered on servers: not counted.
 */
const IMPORTS_UI =
  /^import\s+(?!type\b)(?:(?!\bimport\b)[^;])*?\bfrom\s+['"](?:\.{1,2}\/)+(?:[\w-]+\/)*(?:components|pages|views|screens)\/(?:(?!e?-?mails?\/)[\w-]+\/)*[A-Z]\w*['"]/m;

export function isBrowserCode(path: string, text: string): boolean {
  return BROWSER_PATH.test(path) || BROWSER_TEXT.test(text) || IMPORTS_UI.test(text);
}
