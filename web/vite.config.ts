/** The web UI build: `web/` → `dist/web`, served by `assay server` at `/`. */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev:web` proxies the API to a running `assay server`.
    proxy: { '/api': process.env.ASSAY_API ?? 'http://127.0.0.1:8080' },
  },
});
