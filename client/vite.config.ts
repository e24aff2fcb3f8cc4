import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

/** The hqwatch server the dev server forwards to (`hqwatch demo` listens on 8080). */
const backend = 'http://localhost:8080';

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      // The shared package is pure (DESIGN.md): a module of it whose exports are unused, such as the
      // zod config schema, is left out of the browser bundle.
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]shared[\\/]src[\\/]/.test(id) },
    },
  },
  server: {
    proxy: {
      '/api': backend,
      '/socket.io': { target: backend, ws: true },
    },
  },
});
