// Validate YAML files against a JSON Schema with yaml-language-server's own language
// service, as an editor would. Usage: node yaml_ls_validate.mjs SCHEMA FILE...
// Prints "FILE:LINE:COLUMN: error|warning|info|hint: MESSAGE" per diagnostic; exits 1
// when there is any (schema problems come as warnings: editors underline them). yaml-language-server is resolved from the working directory
// (node_modules/) or NODE_PATH.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(resolve(process.cwd(), 'index.js'));
const yls = require('yaml-language-server');
const { TextDocument } = require(
  createRequire(require.resolve('yaml-language-server')).resolve(
    'vscode-languageserver-textdocument'));

const [schemaPath, ...files] = process.argv.slice(2);
const service = yls.getLanguageService({
  schemaRequestService: async (uri) => readFileSync(new URL(uri), 'utf8'),
  workspaceContext: { resolveRelativePath: (path, base) => new URL(path, base).href },
});
service.configure({
  validate: true,
  schemas: [{ uri: pathToFileURL(resolve(schemaPath)).href, fileMatch: ['*'] }],
});
const severities = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };
let problems = 0;
for (const file of files) {
  const uri = pathToFileURL(resolve(file)).href;
  const document = TextDocument.create(uri, 'yaml', 1, readFileSync(file, 'utf8'));
  for (const found of await service.doValidation(document, false)) {
    const severity = severities[found.severity] ?? 'error';
    problems += 1;
    const { line, character } = found.range.start;
    console.log(`${file}:${line + 1}:${character + 1}: ${severity}: ${found.message}`);
  }
}
process.exit(problems ? 1 : 0);
