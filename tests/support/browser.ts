/**
 * Browser tests' shared parts: the built server in a child process on the run's services (real
 * ones when DATABASE_URL/MQTT_URL are set, embedded otherwise) and Debian's headless chromium.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT, spawnServer, waitForReady } from './spawn-server';

export const ARTIFACTS = path.join(PROJECT_ROOT, 'tests/e2e/artifacts');

/** The flags this machine's chromium needs headless (no GPU: WebGL runs on SwiftShader). */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

export interface MapHandle {
	map: { loaded(): boolean; project(p: [number, number]): { x: number; y: number } };
	overlay: {
		pickObjects(o: {
			x: number;
			y: number;
			width: number;
			height: number;
			layerIds: string[];
		}): { object: unknown }[];
	};
}

export interface RunningServer {
	process: ChildProcess;
	baseUrl: string;
	stop(): Promise<number | null>;
}

export async function startBuiltServer(): Promise<RunningServer> {
	const dataDir = await mkdtemp(path.join(tmpdir(), 'carecircle-e2e-'));
	const env: Record<string, string> = {
		PORT: '0',
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		MQTT_EMBEDDED_PORT: '0'
	};
	if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
	if (process.env.MQTT_URL) env.MQTT_URL = process.env.MQTT_URL;
	const child = spawnServer(env);
	const baseUrl = await waitForReady(child);
	return {
		process: child,
		baseUrl,
		async stop() {
			let code = child.exitCode;
			if (code === null) {
				const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				code = await exited;
			}
			await rm(dataDir, { recursive: true, force: true });
			return code;
		}
	};
}

export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: CHROMIUM_ARGS
	});
}

/**
 * Opens a page and waits until its map has loaded and deck.gl had a moment to draw; in a logged-in
 * context (tests/support/auth.ts) for every page but the public ones.
 */
export async function openMapPage(browser: Browser | BrowserContext, url: string): Promise<Page> {
	const page =
		'newContext' in browser
			? await browser.newPage({ viewport: { width: 1600, height: 1000 } })
			: await browser.newPage();
	await page.goto(url);
	await page.waitForFunction(
		() => (window as unknown as { __careCircleMap?: MapHandle }).__careCircleMap?.map.loaded() === true,
		undefined,
		{ timeout: 60_000 }
	);
	await page.waitForTimeout(1500);
	return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
	await mkdir(ARTIFACTS, { recursive: true });
	await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

/** Counts distinct objects deck.gl drew for a layer anywhere on the page's map canvas. */
export async function countDrawn(page: Page, layerId: string): Promise<number> {
	return page.evaluate((id) => {
		const handle = (window as unknown as { __careCircleMap: MapHandle }).__careCircleMap;
		const canvas = document.querySelector('.maplibregl-canvas') as HTMLCanvasElement;
		const picked = handle.overlay.pickObjects({
			x: 0,
			y: 0,
			width: canvas.clientWidth,
			height: canvas.clientHeight,
			layerIds: [id]
		});
		return new Set(picked.map((p) => p.object)).size;
	}, layerId);
}
