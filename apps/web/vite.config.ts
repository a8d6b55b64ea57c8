import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev`: hot reload here, the API (npm start, or apps/api's dev) behind the proxy, so
// the panel and the API share an origin as they do when the API serves the built panel.
const api = process.env.CANOPY_API_URL ?? "http://localhost:3000";
const proxied = { target: api, changeOrigin: false, xfwd: true };

export default defineConfig({
  plugins: [react()],
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    proxy: { "/trpc": proxied, "/api": proxied, "/session": proxied, "/admin": proxied },
  },
  build: {
    outDir: "dist",
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
});
