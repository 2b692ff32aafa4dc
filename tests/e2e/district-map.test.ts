/**
 * The built server in a child process (real services when DATABASE_URL/MQTT_URL are set, embedded
 * otherwise), the home page in Debian's headless chromium: the district's boundaries and facilities
 * must be drawn, clickable and reachable from the keyboard. A screenshot is kept as a CI artifact.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserLoggedInAs, fetchAs, loginAs } from '../support/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	countDrawn,
	launchChromium,
	openMapPage,
	screenshot,
	startBuiltServer,
	type MapHandle,
	type RunningServer
} from '../support/browser';

describe('the district map in a browser', () => {
	let server: RunningServer;
	let baseUrl: string;
	let browser: Browser;
	let context: BrowserContext;
	let authFetch: typeof fetch;
	let page: Page;

	beforeAll(async () => {
		server = await startBuiltServer();
		baseUrl = server.baseUrl;
		browser = await launchChromium();
		context = await browserLoggedInAs(browser, baseUrl, 'administrator');
		authFetch = fetchAs(await loginAs(baseUrl, 'administrator'));
		page = await openMapPage(context, baseUrl);
		await screenshot(page, 'district-map.png');
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('reports its services as healthy', async () => {
		const response = await authFetch(`${baseUrl}/api/health`);
		expect(response.status).toBe(200);
		const report = await response.json();
		expect(report.database.kind).toBe(process.env.DATABASE_URL ? 'postgresql' : 'embedded-pglite');
		expect(report.broker.kind).toBe(process.env.MQTT_URL ? 'mqtt' : 'embedded-aedes');
		expect(report.database.postgisVersion).toMatch(/^3\./);
	});

	it('serves the operator page of import runs', async () => {
		const response = await authFetch(`${baseUrl}/admin/imports`);
		expect(response.status).toBe(200);
		expect(await response.text()).toContain('数据导入记录');
	});

	it('serves the operator page of dead letters', async () => {
		const response = await authFetch(`${baseUrl}/admin/dead-letters`);
		expect(response.status).toBe(200);
		expect(await response.text()).toContain('异常消息');
	});

	it('draws all 10 street boundaries and the facilities of the district', async () => {
		expect(await countDrawn(page, 'boundary-street')).toBe(10);
		expect(await countDrawn(page, 'boundary-community')).toBeGreaterThanOrEqual(95);
		expect(await countDrawn(page, 'facilities')).toBeGreaterThanOrEqual(100);
		await expect(page.getByTestId('map-counts').textContent()).resolves.toContain('10 个街道');
	});

	it('shows a facility’s attributes when it is clicked', async () => {
		const target = await page.evaluate(() => {
			const handle = (window as unknown as { __careCircleMap: MapHandle }).__careCircleMap;
			const canvas = document.querySelector('.maplibregl-canvas') as HTMLCanvasElement;
			const box = canvas.getBoundingClientRect();
			const [hit] = handle.overlay.pickObjects({
				x: 0,
				y: 0,
				width: canvas.clientWidth,
				height: canvas.clientHeight,
				layerIds: ['facilities']
			});
			const feature = hit.object as {
				geometry: { coordinates: [number, number] };
				properties: { name: string };
			};
			const point = handle.map.project(feature.geometry.coordinates);
			return { x: box.left + point.x, y: box.top + point.y, name: feature.properties.name };
		});
		await page.mouse.click(target.x, target.y);
		await expect(page.locator('.details h2').textContent()).resolves.toBe(target.name);
		await expect(page.locator('.details').textContent()).resolves.toContain('床位');
	});

	it('draws the modelled elderly population and walking network on demand, saying they are modelled', async () => {
		await page.getByLabel('老年人口分布').check();
		await expect(page.getByTestId('population-provenance').textContent()).resolves.toContain('模拟数据');
		await page.waitForTimeout(500);
		expect(await countDrawn(page, 'population-cells')).toBeGreaterThan(1000);
		await page.getByLabel('步行路网').check();
		await expect(page.getByTestId('walk-provenance').textContent()).resolves.toMatch(/模拟数据.*3748 个节点/);
		await expect(page.locator('section[aria-labelledby="legend-title"]').textContent()).resolves.toContain(
			'模拟数据'
		);
		await screenshot(page, 'district-map-population-walk.png');
		await page.getByLabel('老年人口分布').uncheck();
		await page.getByLabel('步行路网').uncheck();
	});

	it('draws every open facility’s 15-minute walking circle on demand', async () => {
		await page.getByLabel('一刻钟养老服务圈').check();
		await expect(page.getByTestId('circles-summary').textContent()).resolves.toMatch(/^124 处设施/);
		await page.waitForTimeout(500);
		expect(await countDrawn(page, 'facility-circles')).toBe(124);
		await screenshot(page, 'district-map-circles.png');
		await page.getByLabel('一刻钟养老服务圈').uncheck();
	});

	it('lets a keyboard user pick a street and switch the interface to English', async () => {
		await page.getByRole('button', { name: '莲前街道' }).focus();
		await page.keyboard.press('Enter');
		await expect(page.locator('.details h2').textContent()).resolves.toBe('莲前街道');
		await expect(page.locator('.details').textContent()).resolves.toContain('350203010');
		await page.getByRole('button', { name: '切换到英文' }).click();
		await expect(page.locator('h1').textContent()).resolves.toBe('CareCircle eldercare monitoring');
		await screenshot(page, 'district-map-street-selected-en.png');
	});

	it('shuts down with exit code 0 while a browser is still attached over socket.io', async () => {
		await expect(page.locator('.realtime').textContent()).resolves.toBe('Live link: connected');
		expect(await server.stop()).toBe(0);
	});
});
