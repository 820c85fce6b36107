import pg from 'pg';

/**
 * How far the accounting consumer is behind the payment outbox, read from both subgraphs' tables in
 * the shared PostgreSQL database: events written minus events applied.
 */
export function accountingLag(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  const connected = client.connect();
  const read = async () => {
    await connected;
    const written = await client.query<{ n: string }>('select count(*) as n from payment.outbox');
    const applied = await client.query<{ n: string | null }>("select sum(last_sequence) as n from accounting.inbox where consumer = 'accounting'");
    const journals = await client.query<{ n: string }>('select count(*) as n from accounting.journals');
    return { behind: Number(written.rows[0]!.n) - Number(applied.rows[0]!.n ?? 0), journals: Number(journals.rows[0]!.n) };
  };
  return {
    sample(everyMs: number) {
      const started = performance.now();
      const samples: number[] = [];
      let journalsAtStart = -1;
      const timer = setInterval(() => {
        void read().then((now) => {
          if (journalsAtStart < 0) journalsAtStart = now.journals;
          samples.push(now.behind);
        });
      }, everyMs);
      return {
        async stop(): Promise<string> {
          clearInterval(timer);
          const loadSeconds = (performance.now() - started) / 1000;
          const atEnd = await read();
          const drainStarted = performance.now();
          let now = atEnd;
          while (now.behind > 0 && performance.now() - drainStarted < 120_000) {
            await new Promise((resolve) => setTimeout(resolve, 250));
            now = await read();
          }
          const drain = ((performance.now() - drainStarted) / 1000).toFixed(1);
          const rate = ((atEnd.journals - Math.max(0, journalsAtStart)) / loadSeconds).toFixed(1);
          return (
            `accounting lag               max ${Math.max(0, ...samples)} events behind, ${atEnd.behind} at the end of the load; ` +
            `caught up ${now.behind === 0 ? `in ${drain} s` : `not within 120 s (${now.behind} left)`}; ${rate} journals/s during the load`
          );
        },
      };
    },
    close: async () => {
      await connected;
      await client.end();
    },
  };
}
