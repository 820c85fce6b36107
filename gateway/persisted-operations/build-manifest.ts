import {
  Kind,
  parse,
  print,
  visit,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { operationId, type PersistedOperation, type PersistedQueryManifest } from './manifest.js';

/** The fragments an operation spreads, directly or through other fragments, each once, in the order first reached. */
function fragmentsUsedBy(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, source: string): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const walk = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (used.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`${source}: fragment ${name} is not defined in any file`);
        used.set(name, fragment);
        walk(fragment);
      },
    });
  walk(operation);
  return [...used.values()];
}

/**
 * Apollo's persisted query manifest of every named operation in the given documents (file name →
 * text; fragments may live in any of them). Each body is the operation printed by graphql-js, then
 * the fragments it uses: a client sends that id (or exactly that text).
 */
export function buildManifest(files: ReadonlyMap<string, string>): PersistedQueryManifest {
  const operations: { operation: OperationDefinitionNode; source: string }[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const [source, text] of files) {
    for (const definition of parse(text).definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        if (!definition.name) throw new Error(`${source}: every operation needs a name (the manifest lists operations by name)`);
        operations.push({ operation: definition, source });
      } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        if (fragments.has(definition.name.value)) throw new Error(`${source}: fragment ${definition.name.value} is defined twice`);
        fragments.set(definition.name.value, definition);
      }
    }
  }
  const names = new Set<string>();
  const listed: PersistedOperation[] = operations.map(({ operation, source }) => {
    const name = operation.name!.value;
    if (names.has(name)) throw new Error(`${source}: operation ${name} is defined twice`);
    names.add(name);
    const body = print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragmentsUsedBy(operation, fragments, source)] });
    return { id: operationId(body), name, type: operation.operation, body };
  });
  return { format: 'apollo-persisted-query-manifest', version: 1, operations: listed };
}
