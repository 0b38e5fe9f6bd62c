// `npm run docs:config`: does docs/configuration.md document exactly the variables the code reads and
// .env.example lists? Prints each disagreement, and for a variable without a row the row to complete.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { disagreements, readConfigSources } from './config-reference.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sources = readConfigSources(root);
const problems = disagreements(sources);
if (problems.length === 0) {
  console.log(`docs/configuration.md, .env.example and the code agree on ${sources.code.size} variables`);
} else {
  for (const problem of problems) console.log(problem);
  const undocumented = [...sources.code].filter((name) => !sources.rows.some((row) => row.name === name)).sort();
  if (undocumented.length > 0) {
    console.log('\nRows to complete (Django setting and meaning) in docs/configuration.md:');
    for (const name of undocumented) {
      const example = sources.envExample.get(name);
      console.log(`| \`${name}\` | ${example ? `\`${example}\`` : 'empty'} | | |`);
    }
  }
  process.exitCode = 1;
}
