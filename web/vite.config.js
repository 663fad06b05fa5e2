// SPDX-License-Identifier: MIT
// Builds the UI into web/dist; doudi serves it on the API's origin.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// virtual:counties: the county-level units of the reference data, cut from
// data/regions-chongqing.csv at build time, so the citizen self-check ships
// 38 codes and names rather than the whole 691 kB file (the regions routes
// need a staff session, and the self-check is anonymous)
function counties() {
  const csv = fileURLToPath(new URL('../data/regions-chongqing.csv', import.meta.url))
  return {
    name: 'doudi-counties',
    resolveId: (id) => (id === 'virtual:counties' ? '\0virtual:counties' : null),
    load(id) {
      if (id !== '\0virtual:counties') return null
      this.addWatchFile(csv)
      const rows = readFileSync(csv, 'utf8')
        .split('\n')
        .map((l) => l.trim().split(','))
      const list = rows.filter((f) => f[2] === 'county').map((f) => ({ code: f[0], name: f[1] }))
      if (!list.length) throw new Error(`no county rows in ${csv}`)
      return `export default ${JSON.stringify(list)}`
    },
  }
}

export default defineConfig({
  plugins: [vue(), counties()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        // vendor libraries in their own long-cached chunks
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts'
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus'))
            return 'element-plus'
          if (id.includes('node_modules/')) return 'vendor'
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
})
