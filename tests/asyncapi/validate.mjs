// Validates AsyncAPI documents with the official parser (@asyncapi/parser, pinned in
// package.json and package-lock.json; installed by scripts/node-tools).
//
//   node tests/asyncapi/validate.mjs FILE...
//
// Prints one line per diagnostic (severity, code, path, message) and a summary per file.
// Exit code: 0 when no document has an error, 1 when one has, 2 on usage or I/O errors.
// Warnings, information and hints (the parser's style rules) are printed, not failed.
import { readFile } from 'node:fs/promises';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate.mjs FILE...');
  process.exit(2);
}

const names = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

const parser = new Parser();
let failed = false;
for (const file of files) {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    console.error(`${file}: cannot read: ${error.message}`);
    process.exit(2);
  }
  const { document, diagnostics } = await parser.parse(text, { source: file });
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of diagnostics) {
    const severity = names[d.severity] ?? String(d.severity);
    counts[severity] = (counts[severity] ?? 0) + 1;
    console.log(`${file}: ${severity} ${d.code} at /${(d.path ?? []).join('/')}: ${d.message}`);
  }
  if (document === undefined || counts.error > 0) {
    failed = true;
  }
  const version = document?.version() ?? 'none';
  console.log(
    `${file}: asyncapi ${version}, ${counts.error} errors, ${counts.warning} warnings, ` +
      `${counts.information} information, ${counts.hint} hints`,
  );
}
process.exit(failed ? 1 : 0);
