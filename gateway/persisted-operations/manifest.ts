import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { z } from 'zod';

/** The SHA-256 of an operation's text, in lower-case hex: its id in a manifest and in automatic persisted queries. */
export const operationId = (body: string) => createHash('sha256').update(body).digest('hex');

const operationSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of body in lower-case hex'),
  name: z.string().min(1),
  type: z.enum(['query', 'mutation', 'subscription']),
  body: z.string().min(1),
});

/** Apollo's persisted query manifest, as @apollo/generate-persisted-query-manifest writes it. */
export const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(operationSchema),
});

export type PersistedOperation = z.infer<typeof operationSchema>;
export type PersistedQueryManifest = z.infer<typeof manifestSchema>;

/** The registered operations by id. */
export type RegisteredOperations = ReadonlyMap<string, PersistedOperation>;

/** What is wrong with one operation beyond its shape: its id is not its hash, or its body is not the operation it says. */
function problemOf(operation: PersistedOperation): string | null {
  if (operationId(operation.body) !== operation.id) return 'id is not the SHA-256 of body';
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(operation.body).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    return `body does not parse: ${(error as Error).message}`;
  }
  if (operations.length !== 1) return `body must hold one operation, not ${operations.length}`;
  const [only] = operations as [OperationDefinitionNode];
  const type: string = only.operation;
  if (type !== operation.type) return `body is a ${type}, not a ${operation.type}`;
  if (only.name?.value !== operation.name) return `body's operation is named ${only.name?.value ?? '(none)'}, not ${operation.name}`;
  return null;
}

/** Checks a parsed manifest; every problem is listed, each with the operation's index. */
export function registeredOperations(manifest: unknown, source: string): RegisteredOperations {
  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new Error(`gateway: invalid persisted operations in ${source}\n${problems.join('\n')}`);
  }
  const problems: string[] = [];
  const byId = new Map<string, PersistedOperation>();
  parsed.data.operations.forEach((operation, index) => {
    const problem = problemOf(operation) ?? (byId.has(operation.id) ? 'the same body is listed twice' : null);
    if (problem) problems.push(`  operations.${index} (${operation.name}): ${problem}`);
    byId.set(operation.id, operation);
  });
  if (problems.length) throw new Error(`gateway: invalid persisted operations in ${source}\n${problems.join('\n')}`);
  return byId;
}

/** Reads and checks PERSISTED_OPERATIONS_FILE at start-up: a file that is missing or wrong stops the gateway. */
export function loadManifest(path: string): RegisteredOperations {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`gateway: PERSISTED_OPERATIONS_FILE cannot be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`gateway: PERSISTED_OPERATIONS_FILE ${path} is not JSON: ${(error as Error).message}`);
  }
  return registeredOperations(json, path);
}
