// The web UI's build. `scripts/build-web.ts` runs it (npm start and npm test
// call that when web/dist is missing or older than web/); the API serves the
// result (api/routes/web.ts). For hot reload while the API runs on :3000:
// `npx vite web` and open the printed URL.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.REKEY_API_ORIGIN ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP allows no inline script: Vite's preload polyfill would be inline-free anyway, but
    // modern browsers need none.
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/otp', '/codec', '/docs'].map((p) => [p, { target: api, changeOrigin: false }])),
  },
});
