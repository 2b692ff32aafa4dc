/**
 * The running services, shared between the process entry and SvelteKit's bundled server code.
 * The entry and the bundle load separate copies of this module, so the handle lives on globalThis.
 */
import type { Services } from './services';

const KEY = Symbol.for('carecircle.services');
type Holder = { [KEY]?: Services };

export function setServices(services: Services | undefined): void {
	(globalThis as Holder)[KEY] = services;
}

export function getServices(): Services {
	const services = (globalThis as Holder)[KEY];
	if (!services)
		throw new Error('CareCircle services are not started: run the app through src/server.ts or vite dev');
	return services;
}
