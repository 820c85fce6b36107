/** STATEMENTS_SHOW=1: tests that count SQL statements print them too. */
export const SHOW_STATEMENTS = process.env['STATEMENTS_SHOW'] === '1';
