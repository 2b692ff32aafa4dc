/**
 * The gazetteer in a browser, on the built server: an editor finds 莲前西路 by its pinyin initials
 * (highlighted on the map), opens it, moves its point by clicking the map and proposes the change;
 * a reviewer approves it in the review queue, and only then is the new position published. Each
 * logs in as their own demo account.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
import { browserLoggedInAs } from '../support/auth';

const DISTRICT = '350203';
/** Where the editor moves the road's point: a little east of the seed's approximate point. */
const MOVED_TO: [number, number] = [118.1475, 24.4786];
/** Tells this run's proposal apart from any an earlier run left on the same database. */
const REASON = `按实地核对调整点位 ${Date.now().toString(36)}`;

async function waitForMap(page: Page): Promise<void> {
	await page.waitForFunction(
		() => (window as unknown as { __careCircleMap?: MapHandle }).__careCircleMap?.map.loaded() === true,
		undefined,
		{ timeout: 60_000 }
	);
	await page.waitForTimeout(800);
}

/** Clicks the map canvas at a WGS-84 position (the offline basemap is WGS-84). */
async function clickMapAt(page: Page, [lon, lat]: [number, number]): Promise<void> {
	const { x, y } = await page.evaluate(
		(p) => (window as unknown as { __careCircleMap: MapHandle }).__careCircleMap.map.project(p),
		[lon, lat] as [number, number]
	);
	const box = (await page.locator('.maplibregl-canvas').boundingBox())!;
	await page.mouse.click(box.x + x, box.y + y);
}

describe('the gazetteer in a browser', () => {
	let server: RunningServer;
	let baseUrl: string;
	let browser: Browser;
	let editor: BrowserContext;
	let page: Page;
	let placeId: number;

	beforeAll(async () => {
		server = await startBuiltServer();
		baseUrl = server.baseUrl;
		browser = await launchChromium();
		editor = await browserLoggedInAs(browser, baseUrl, 'gazetteer_editor');
		page = await openMapPage(editor, `${baseUrl}/gazetteer`);
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('finds a road by its pinyin initials and highlights it on the map', async () => {
		await page.getByRole('searchbox').fill('lqxl');
		const first = page.getByTestId('search-hits').getByRole('link').first();
		await expect.poll(() => first.textContent(), { timeout: 10_000 }).toBe('莲前西路');
		// deck.gl draws the hit on its next frame, which a loaded machine may not have reached yet.
		await expect
			.poll(() => countDrawn(page, 'gazetteer-highlighted'), { timeout: 10_000 })
			.toBeGreaterThanOrEqual(1);
		await screenshot(page, 'gazetteer-search.png');
		const href = (await first.getAttribute('href'))!;
		placeId = Number(href.split('/').pop());
		await page.evaluate(() => delete (window as unknown as { __careCircleMap?: unknown }).__careCircleMap);
		await first.click();
		await page.waitForURL(`**/gazetteer/${placeId}`);
		await waitForMap(page);
		await expect.poll(() => page.getByTestId('place-name').textContent()).toContain('Lianqian Xilu');
	});

	it('proposes moving its point by a click on the map, unpublished until reviewed', async () => {
		const url = `${baseUrl}/api/districts/${DISTRICT}/gazetteer/${placeId}`;
		const read = () => editor.request.get(url).then((r) => r.json());
		const before = (await read()).record.geometry.coordinates;
		await page.getByText('提议变更').click();
		await clickMapAt(page, MOVED_TO);
		await expect.poll(() => page.locator('input[name="lon"]').inputValue()).toMatch(/^118\.14/);
		await page.locator('input[name="reason"]').fill(REASON);
		await page.getByRole('button', { name: '提交审核' }).click();
		await expect
			.poll(() => page.getByRole('status').textContent(), { timeout: 10_000 })
			.toContain('等待审核员批准');
		await expect.poll(() => page.getByTestId('pending').textContent()).toMatch(/\d+ 项变更等待审核/);
		expect((await read()).record.geometry.coordinates).toEqual(before);
	});

	it('lets a reviewer approve it in the review queue, which publishes the new point', async () => {
		const reviewer = await browserLoggedInAs(browser, baseUrl, 'gazetteer_reviewer');
		page = await reviewer.newPage();
		await page.goto(`${baseUrl}/gazetteer/review`);
		await waitForMap(page);
		const change = page.locator('[data-testid="pending-change"][data-name="莲前西路"]', { hasText: REASON });
		await expect.poll(() => change.getByTestId('diff').textContent()).toContain('118.147');
		await screenshot(page, 'gazetteer-review.png');
		await change.getByRole('button', { name: '批准并发布' }).click();
		await expect
			.poll(() => page.getByRole('status').textContent(), { timeout: 10_000 })
			.toContain('已处理：莲前西路');
		const published = await (
			await reviewer.request.get(`${baseUrl}/api/districts/${DISTRICT}/gazetteer/${placeId}`)
		).json();
		const [lon, lat] = published.record.geometry.coordinates;
		expect(lon).toBeCloseTo(MOVED_TO[0], 3);
		expect(lat).toBeCloseTo(MOVED_TO[1], 3);
		expect(published.versions[0]).toMatchObject({
			reviewState: 'approved',
			actor: 'editor',
			reviewer: 'reviewer'
		});
	});

	it('draws a new park as a polygon on the map, vertex by vertex, and proposes it', async () => {
		page = await openMapPage(editor, `${baseUrl}/gazetteer/new`);
		const name = `测绘${Date.now().toString(36).replace(/\d/g, '')}公园`;
		await page.locator('input[name="standardName"]').fill(name);
		await page.locator('select[name="classCode"]').selectOption('72000');
		await page.getByLabel('面', { exact: true }).check();
		const corners: [number, number][] = [
			[118.14, 24.47],
			[118.145, 24.47],
			[118.145, 24.474]
		];
		for (const corner of corners.slice(0, 2)) await clickMapAt(page, corner);
		await expect.poll(() => page.getByTestId('sketch-vertices').textContent()).toContain('已绘制 2 个点');
		await expect(page.getByRole('button', { name: '提交审核' }).isDisabled()).resolves.toBe(true);
		await clickMapAt(page, corners[2]);
		await expect.poll(() => countDrawn(page, 'gazetteer-sketch')).toBe(1);
		await page.locator('input[name="reason"]').fill('新建公园');
		await page.getByRole('button', { name: '提交审核' }).click();
		await expect
			.poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 })
			.toContain('等待审核员批准');
		const id = (await page.locator('aside a[href^="/gazetteer/"]').last().textContent())!.replace('#', '');
		const proposed = await (
			await editor.request.get(`${baseUrl}/api/districts/${DISTRICT}/gazetteer/${id}`)
		).json();
		expect(proposed.status).toBe('under_review');
		const ring: [number, number][] = proposed.versions[0].record.geometry.coordinates[0];
		expect(proposed.versions[0].record.geometry.type).toBe('Polygon');
		expect(ring).toHaveLength(4);
		ring.slice(0, 3).forEach(([lon, lat], i) => {
			expect(lon).toBeCloseTo(corners[i][0], 3);
			expect(lat).toBeCloseTo(corners[i][1], 3);
		});
	});
});
