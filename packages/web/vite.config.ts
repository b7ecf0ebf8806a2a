import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { shellPlugin } from './build/shell-plugin.ts';

// `npm run dev`: Vite on 5173, API paths proxied to the Careline server (CARELINE_DEV_SERVER, default :8080).
const target = process.env.CARELINE_DEV_SERVER ?? 'http://127.0.0.1:8080';
const proxied = ['/api', '/auth', '/fhir', '/oauth2', '/healthz', '/readyz', '/.well-known'];

export default defineConfig({
  plugins: [react(), shellPlugin()],
  resolve: { alias: { '@careline/contracts': fileURLToPath(new URL('../contracts/src/index.ts', import.meta.url)) } },
  build: { target: 'es2022', sourcemap: false, reportCompressedSize: false, chunkSizeWarningLimit: 400 },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      // More specific first: the visit room's signaling socket lives under /api.
      '/api/visits/signal': { target, ws: true },
      ...Object.fromEntries(proxied.map((p) => [p, { target, changeOrigin: false }])),
      '/ws': { target, ws: true },
    },
  },
});
