import type { Server as HttpServer } from 'node:http';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * `npm run dev`: starts the same services as the production entry (database, broker, socket.io)
 * inside the dev server, loaded through Vite so SvelteKit's SSR code sees the same module instances.
 */
function careCircleDevServices(): Plugin {
	return {
		name: 'carecircle-dev-services',
		apply: 'serve',
		async configureServer(server) {
			const entry = (await server.ssrLoadModule(
				'/src/lib/server/dev-services.ts'
			)) as typeof import('./src/lib/server/dev-services');
			await entry.startDevServices(server.httpServer as HttpServer | null);
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), careCircleDevServices()]
});
