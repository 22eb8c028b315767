// `npm run schema:emit`: writes schema.graphql from the type-graphql classes.
import { writeFileSync } from 'node:fs';
import { printSchemaSdl } from './schema.js';
import { projectPath } from '../project-root.js';

writeFileSync(projectPath('schema.graphql'), await printSchemaSdl());
process.stdout.write('wrote schema.graphql\n');
