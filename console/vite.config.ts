import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by `infera server` at / (same origin as /v1 and /v3). `npm run dev` proxies the API to a
// server on 127.0.0.1:8090 (scripts/run.sh) so the console can be developed with hot reload.
const api = { target: 'http://127.0.0.1:8090', changeOrigin: false, ws: true };

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      output: {
        // Large libraries in their own files: they change less often than the console, so browsers keep them cached.
        manualChunks: {
          antd: ['antd', '@ant-design/icons'],
          echarts: ['echarts'],
          editor: ['@uiw/react-codemirror', '@codemirror/lang-json'],
          xterm: ['@xterm/xterm', '@xterm/addon-fit'],
        },
      },
    },
  },
  server: { proxy: { '/v1': api, '/v3': api, '/v3.0': api } },
});
