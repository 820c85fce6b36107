/**
 * The environment `start:cluster` runs with in a test: this one's (PATH for initdb and redis-server)
 * without what would point the cluster at servers or settings of someone else's, so it starts its own.
 */
export function clusterEnv(overrides: Record<string, string>): Record<string, string> {
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && !/DATABASE_URL$|^REDIS_URL$|^DATA_DIR$|^ADMIN_API_KEY$|^NODE_ENV$|^CLUSTER_|^GATEWAY_REPLICAS$/.test(entry[0]),
  );
  return { ...Object.fromEntries(inherited), ...overrides };
}
