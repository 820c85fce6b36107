import { startPostgresCluster } from '../test/support/postgres-cluster.js';
const c = await startPostgresCluster();
console.log(c.url);
const u = await c.createDatabase('dev');
console.log(u);
setInterval(() => {}, 1 << 30);
