/** Paths inside the lint root as the SQL inputs write them: '/'-separated, '.' for the root (tool configs, compose mounts). */

/** The folder of a tree path, '.' at the root. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash) || '.';
}

/** `folder/relative` normalised (`./drizzle`, `../x`), '.' for the current folder. */
export function join(folder: string, relative: string): string {
  const parts = folder === '.' ? [] : folder.split('/');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}
