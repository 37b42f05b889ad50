/**
 * `node --import tsx pull-child.ts DB_DIR URL`: one pull in a process of its own, so a test can
 * give it a file-size limit (`ulimit -f`) and see what a full disk does. Prints one JSON line.
 */
import { pullDb } from '../pull.js';

const [dbDir, url] = process.argv.slice(2);
if (!dbDir || !url) throw new Error('usage: pull-child.ts DB_DIR URL');
try {
  const out = await pullDb([{ kind: 'http', url }], { dbDir, retry: { retries: 1, backoffMs: 10 } });
  console.log(JSON.stringify({ status: out.status }));
} catch (err) {
  const e = err as { code?: string; message?: string };
  console.log(JSON.stringify({ code: e.code, message: e.message }));
}
