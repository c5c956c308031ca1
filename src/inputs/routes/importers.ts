/**
 * Who imports whom, without parsing every file: a scan of each file's text for module specifiers
 * (`from '…'`, `import('…')`, `require('…')`, `import '…'`) finds the files that may import a target,
 * and only those are parsed to read the names they bind. The scan over-collects (a specifier in a
 * comment or a string counts), never under-collects: every specifier the syntax tree holds is in it.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';
import type { CodeFile, CodeModel } from '../code/index.js';
import type { Declaration } from './module-syntax.js';
import { importBindingOf } from '../../model/qualified-names.js';

/** `export * from`, `export { x } from`, `export type { X } from`: what a re-export starts with (a superset). */
const MAY_REEXPORT = /\bexport\s*(?:type\b\s*)?[*{]/;

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

export { specifiersIn, valueSpecifiersIn } from '../code/specifiers.js';
import { specifiersIn, valueSpecifiersIn } from '../code/specifiers.js';

export type Importer = { file: CodeFile; local: string; imported: string };

export interface ImportResolver {
  readonly code: CodeModel;
  resolveModule(fromPath: string, specifier: string): string | undefined;
  declarationsIn(scope: ts.Node): Map<string, Declaration>;
}

export class ImportIndex {
  private readonly specifiers = new Map<CodeFile, string[]>();
  private readonly targets = new Map<CodeFile, string[]>();
  private readonly valueTargets = new Map<CodeFile, string[]>();
  private valueCandidates?: Map<string, CodeFile[]>;
  private candidates?: Map<string, CodeFile[]>;
  private readonly importers = new Map<string, Importer[]>();
  private readonly reexporters = new Map<string, CodeFile[]>();

  constructor(private readonly resolver: ImportResolver) {}

  /** The specifiers a file's text may import (cached; no parse). */
  specifiersOf(file: CodeFile): string[] {
    let list = this.specifiers.get(file);
    if (!list) this.specifiers.set(file, (list = specifiersIn(file.text.content)));
    return list;
  }

  /** The project files a file may import (resolved specifiers of its text, each once; no parse). */
  importedBy(file: CodeFile): string[] {
    let out = this.targets.get(file);
    if (out) return out;
    const found = new Set<string>();
    for (const spec of this.specifiersOf(file)) {
      const target = this.resolver.resolveModule(file.path, spec);
      if (target) found.add(target);
    }
    this.targets.set(file, (out = [...found]));
    return out;
  }

  /** The project files a file may import values from: as importedBy, less the `import type` ones. */
  valueImportedBy(file: CodeFile): string[] {
    let out = this.valueTargets.get(file);
    if (out) return out;
    const found = new Set<string>();
    for (const spec of valueSpecifiersIn(file.text.content, this.specifiersOf(file))) {
      const target = this.resolver.resolveModule(file.path, spec);
      if (target) found.add(target);
    }
    this.valueTargets.set(file, (out = [...found]));
    return out;
  }

  /** Files that may import values from `target` (by their text). */
  mayImportValue(target: string): CodeFile[] {
    if (!this.valueCandidates) {
      const index = new Map<string, CodeFile[]>();
      for (const file of this.resolver.code.files) {
        for (const resolved of this.valueImportedBy(file)) {
          let list = index.get(resolved);
          if (!list) index.set(resolved, (list = []));
          list.push(file);
        }
      }
      this.valueCandidates = index;
    }
    return this.valueCandidates.get(target) ?? [];
  }

  /** Files that may import `target` (by their text), in the code model's order. */
  mayImport(target: string): CodeFile[] {
    return this.candidatesFor(target);
  }

  private candidatesFor(target: string): CodeFile[] {
    if (!this.candidates) {
      const index = new Map<string, CodeFile[]>();
      for (const file of this.resolver.code.files) {
        for (const resolved of this.importedBy(file)) {
          let list = index.get(resolved);
          if (!list) index.set(resolved, (list = []));
          list.push(file);
        }
      }
      this.candidates = index;
    }
    return this.candidates.get(target) ?? [];
  }

  /** Every project file that imports `target`, with the local names bound to each exported name. */
  importersOf(target: string): Importer[] {
    let list = this.importers.get(target);
    if (list) return list;
    list = [];
    for (const file of this.candidatesFor(target)) list.push(...this.bindingsOf(file, target));
    this.importers.set(target, list);
    return list;
  }

  /**
   * The importers of `target` among some files, in the same order: importersOf without parsing the others
   * (a caller that can use only the files whose calls the graph collected; issue 22: a hundred files of a
   * large tree parsed only to be skipped).
   */
  importersAmong(target: string, among: (file: CodeFile) => boolean): Importer[] {
    const all = this.importers.get(target);
    if (all) return all.filter((importer) => among(importer.file));
    return this.candidatesFor(target)
      .filter(among)
      .flatMap((file) => this.bindingsOf(file, target));
  }

  /** The names one file binds from `target` (none when it only mentions it), in declaration order. */
  bindingsIn(file: CodeFile, target: string): Importer[] {
    return this.bindingsOf(file, target);
  }

  /** Files that re-export from `target` (`export * from './jwt'`, `export { x } from './jwt'`). */
  reexportersOf(target: string): CodeFile[] {
    let list = this.reexporters.get(target);
    if (list) return list;
    list = [];
    for (const file of this.candidatesFor(target)) {
      // Only a file whose text can hold `export … from` is parsed to look (most importers merely import).
      if (!MAY_REEXPORT.test(file.text.content)) continue;
      for (const statement of file.tree.statements) {
        if (
          !typescript.isExportDeclaration(statement) ||
          !statement.moduleSpecifier ||
          !typescript.isStringLiteral(statement.moduleSpecifier)
        )
          continue;
        if (this.resolver.resolveModule(file.path, statement.moduleSpecifier.text) !== target) continue;
        if (!list.includes(file)) list.push(file);
      }
    }
    this.reexporters.set(target, list);
    return list;
  }

  /** The names a file binds from `target`, in declaration order. */
  private bindingsOf(file: CodeFile, target: string): Importer[] {
    const out: Importer[] = [];
    const add = (spec: string, local: string, imported: string) => {
      if (this.resolver.resolveModule(file.path, spec) === target) out.push({ file, local, imported });
    };
    for (const [name, declaration] of this.resolver.declarationsIn(file.tree)) {
      // The code-analysis layer's local step: which export of which module the declaration binds.
      const binding = importBindingOf(typescript, declaration);
      if (!binding || binding.path.length > 1) continue;
      add(binding.module, name, binding.path[0] ?? '*');
    }
    return out;
  }
}
