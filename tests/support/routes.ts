/** The app's SvelteKit route ids, read from the files under src/routes (for the authorisation tests). */
import { readdirSync } from 'node:fs';
import path from 'node:path';

const ROUTES_DIR = path.resolve(import.meta.dirname, '../../src/routes');
const ROUTE_FILE = /^\+(page\.svelte|page\.server\.ts|page\.ts|server\.ts)$/;

/** Route ids such as `/api/districts/[code=districtCode]/incidents`; layout groups `(name)` drop out. */
export function routeIds(): string[] {
	const ids = new Set<string>();
	for (const entry of readdirSync(ROUTES_DIR, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile() || !ROUTE_FILE.test(entry.name)) continue;
		const parts = path.relative(ROUTES_DIR, entry.parentPath).split(path.sep).filter(Boolean);
		ids.add('/' + parts.filter((part) => !/^\(.*\)$/.test(part)).join('/'));
	}
	return [...ids].sort();
}

/** A concrete path for a route id: the district's code, id 1, and a sample for other parameters. */
export function samplePath(routeId: string, districtCode: string): string {
	return routeId
		.replace('[code=districtCode]', districtCode)
		.replace(/\[\w+=id\]/g, '1')
		.replace('[deviceId]', 'NO-SUCH-DEVICE')
		.replace('[code]', 'NOSUCHCODE');
}
