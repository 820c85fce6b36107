/**
 * Writes schema/<subgraph>.graphql from each subgraph's SDL and composes them into
 * schema/supergraph.graphql, the gateway's only source of the schema. Fails on composition errors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

/** Subgraphs and the URL each listens on by default (the gateway's configuration can point elsewhere). */
const subgraphs = [
  { name: 'payment', url: 'http://127.0.0.1:4001/graphql' },
  { name: 'accounting', url: 'http://127.0.0.1:4002/graphql' },
  { name: 'transaction', url: 'http://127.0.0.1:4003/graphql' },
];

const services = subgraphs.map(({ name, url }) => {
  const source = readFileSync(`subgraphs/${name}/schema.graphql`, 'utf8');
  const sdl = printSubgraphSchema(buildSubgraphSchema({ typeDefs: parse(source) }));
  writeFileSync(`schema/${name}.graphql`, `${sdl.trim()}\n`);
  return { name, url, typeDefs: parse(sdl) };
});

const result = composeServices(services);
if (result.errors) {
  for (const error of result.errors) console.error(`composition error: ${error.message}`);
  process.exit(1);
}
writeFileSync('schema/supergraph.graphql', `${result.supergraphSdl.trim()}\n`);
for (const hint of result.hints) console.warn(`composition hint: ${hint.definition.code}: ${hint.message}`);
console.log(`composed ${services.map((s) => s.name).join(', ')} into schema/supergraph.graphql`);
