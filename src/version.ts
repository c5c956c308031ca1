/** The package's own name and version, read from its package.json (one level up from src/ or dist/src/). */
import { readFileSync } from 'node:fs';

interface PackageInfo {
  name: string;
  version: string;
  homepage: string;
}

function findPackageJson(): PackageInfo {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as Partial<PackageInfo>;
      if (pkg.name === 'archlint' && pkg.version)
        return { name: pkg.name, version: pkg.version, homepage: pkg.homepage ?? '' };
    } catch {
      // not at this depth; try the next
    }
  }
  return { name: 'archlint', version: '0.0.0', homepage: '' };
}

export const packageInfo: PackageInfo = findPackageJson();
