import { main } from './main.js';

// Let stdout drain before exiting, and treat a closed pipe (`assay … | head`) as success.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv);
