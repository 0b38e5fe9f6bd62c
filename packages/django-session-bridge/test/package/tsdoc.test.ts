import assert from 'node:assert/strict';
import { test } from 'node:test';
import ts from 'typescript';
import { entryPoints, PACKAGE_DIR } from './public-api.ts';

test('every export of every entry point carries TSDoc', () => {
  const entries = entryPoints();
  const program = ts.createProgram(
    entries.map((entry) => entry.source),
    { allowImportingTsExtensions: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2023, strict: true, skipLibCheck: true },
  );
  const checker = program.getTypeChecker();
  const undocumented: string[] = [];
  let exported = 0;
  for (const entry of entries) {
    const file = program.getSourceFile(entry.source);
    assert.ok(file, `${entry.name}: ${entry.source} is missing`);
    const module = checker.getSymbolAtLocation(file);
    assert.ok(module, `${entry.name} has no exports`);
    for (const symbol of checker.getExportsOfModule(module)) {
      exported += 1;
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const documented = target.getDocumentationComment(checker).length > 0 || target.getJsDocTags(checker).length > 0;
      if (!documented) {
        const where = target.declarations?.[0]?.getSourceFile().fileName.replace(PACKAGE_DIR, '') ?? '?';
        undocumented.push(`${entry.name}: ${symbol.name} (${where})`);
      }
    }
  }
  assert.ok(exported > 100, `only ${exported} exports were examined`);
  assert.deepEqual(undocumented, [], `exports without TSDoc:\n${undocumented.join('\n')}`);
});
