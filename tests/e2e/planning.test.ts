/**
 * The planner's page in chromium, on the built server (real services when DATABASE_URL is set,
 * embedded otherwise): the district's 15-minute coverage and its circle gaps, two candidate sites
 * put into real gaps (one clicked on the map, one typed), an MCLP run choosing both, the covered
 * share, tables and gap layer changing with it, the scenario saved and its printable report.
 * The gaps are taken from the coverage API, so the test follows the data rather than fixed places.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserLoggedInAs, fetchAs, loginAs } from '../support/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoverageReport, GapCell } from '../../src/lib/planning/report';
import {
	countDrawn,
	launchChromium,
	openMapPage,
	screenshot,
	startBuiltServer,
	type MapHandle,
	type RunningServer
} from '../support/browser';

const DISTRICT = '350203';
const SCENARIO_NAME = `两处新站 e2e ${Date.now().toString(36)}`;

/** Where a WGS-84 position is on the screen (the test server's basemap is WGS-84). */
async function screenPoint(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
	return page.evaluate(
		([lon, lat]) => {
			const handle = (window as unknown as { __careCircleMap: MapHandle }).__careCircleMap;
			const canvas = document.querySelector('.maplibregl-canvas') as HTMLCanvasElement;
			const box = canvas.getBoundingClientRect();
			const point = handle.map.project([lon, lat]);
			return { x: box.left + point.x, y: box.top + point.y };
		},
		[lon, lat] as [number, number]
	);
}

async function sharePercent(page: Page): Promise<number> {
	return Number.parseFloat((await page.getByTestId('district-share').textContent()) ?? '');
}

function metres(a: GapCell, b: GapCell): number {
	const dLat = (a.lat - b.lat) * 111_320;
	const dLon = (a.lon - b.lon) * 111_320 * Math.cos((a.lat * Math.PI) / 180);
	return Math.hypot(dLat, dLon);
}

/**
 * Two of the heaviest gap cells that a site can be reached from (a finite walk to some facility
 * means the cell is on the network) and that lie far enough apart to cover different homes.
 */
function twoGaps(coverage: CoverageReport): [GapCell, GapCell] {
	const reachable = coverage.gaps
		.filter((g) => g.seconds !== null)
		.sort((a, b) => b.elderly - a.elderly || a.cellId.localeCompare(b.cellId));
	const first = reachable[0];
	const second = reachable.find((g) => metres(first, g) > 2000);
	if (!first || !second) throw new Error('the district has no two gap cells 2 km apart');
	return [first, second];
}

describe('the planning page in a browser', () => {
	let server: RunningServer;
	let baseUrl: string;
	let browser: Browser;
	let context: BrowserContext;
	let authFetch: typeof fetch;
	let page: Page;
	let coverage: CoverageReport;

	beforeAll(async () => {
		server = await startBuiltServer();
		baseUrl = server.baseUrl;
		browser = await launchChromium();
		context = await browserLoggedInAs(browser, baseUrl, 'planner');
		authFetch = fetchAs(await loginAs(baseUrl, 'planner'));
		const response = await authFetch(`${baseUrl}/api/districts/${DISTRICT}/coverage?minutes=15`);
		expect(response.status).toBe(200);
		coverage = (await response.json()) as CoverageReport;
		page = await openMapPage(context, `${baseUrl}/planning`);
		await screenshot(page, 'planning.png');
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('is linked from the home page header', async () => {
		const home = await authFetch(baseUrl);
		expect(await home.text()).toMatch(/href="[^"]*\/planning"/);
	});

	it('answers whether every community has its 15-minute circle, with the street table and the gap map', async () => {
		const { answer, district } = coverage;
		expect(await sharePercent(page)).toBeCloseTo(district.share! * 100, 1);
		await expect(page.getByTestId('circle-answer').textContent()).resolves.toContain(
			`${answer.communities} 个社区中 ${answer.communities - answer.gaps.length} 个已有 15 分钟养老服务圈`
		);
		await expect(page.getByTestId('circle-gaps').textContent()).resolves.toContain(answer.gaps[0].name);
		const street = coverage.streets[0];
		const row = page.locator(`[data-testid="street-table"] tr[data-code="${street.code}"]`);
		await expect(row.locator('th').textContent()).resolves.toBe(street.name);
		await expect(row.textContent()).resolves.toContain(`${(street.share! * 100).toFixed(1)}%`);
		await expect(page.locator('[data-testid="street-table"] tbody tr').count()).resolves.toBe(10);
		await expect(page.getByTestId('gap-count').getAttribute('data-cells')).resolves.toBe(
			String(coverage.gaps.length)
		);
		expect(await countDrawn(page, 'coverage-gaps')).toBeGreaterThan(coverage.gaps.length / 2);
		expect(await countDrawn(page, 'planning-sites')).toBeGreaterThanOrEqual(100);
	});

	it('shows the server’s refusal of an uploaded file whose features are not points', async () => {
		await page.getByLabel('上传候选点（GeoJSON 点要素）').setInputFiles({
			name: 'lines.geojson',
			mimeType: 'application/geo+json',
			buffer: Buffer.from(
				JSON.stringify({
					type: 'FeatureCollection',
					features: [
						{
							type: 'Feature',
							properties: { name: '一条路' },
							geometry: {
								type: 'LineString',
								coordinates: [
									[118.09, 24.45],
									[118.1, 24.46]
								]
							}
						}
					]
				})
			)
		});
		await page.getByTestId('uploaded-candidates').waitFor();
		await page.getByRole('button', { name: '运行选址' }).click();
		await expect(page.getByTestId('siting-error').textContent()).resolves.toMatch(
			/feature 1: geometry must be a Point, got LineString/
		);
		await page.getByRole('button', { name: '移除文件' }).click();
	});

	it('chooses two candidates put into coverage gaps with MCLP p = 2, and shows the district gaining coverage', async () => {
		const before = await sharePercent(page);
		const [clicked, typed] = twoGaps(coverage);

		await page.getByLabel(/包含规划中的站点/).uncheck();
		await page.getByRole('button', { name: '在地图上添加候选点' }).click();
		const at = await screenPoint(page, clicked.lon, clicked.lat);
		await page.mouse.click(at.x, at.y);
		await page.keyboard.press('Escape');
		const drawn = page.locator('[data-testid="drawn-candidates"] li');
		await expect(drawn.count()).resolves.toBe(1);
		const [lon, lat] = ((await drawn.textContent()) ?? '').match(/\d+\.\d+/g)!.map(Number);
		expect(Math.abs(lon - clicked.lon)).toBeLessThan(0.001);
		expect(Math.abs(lat - clicked.lat)).toBeLessThan(0.001);

		// The keyboard's way to the same: the longitude/latitude form.
		await page.getByLabel('经度（WGS-84）').fill(String(typed.lon));
		await page.getByLabel('纬度（WGS-84）').fill(String(typed.lat));
		await page.getByLabel('名称（可选）').fill('键入候选点');
		await page.getByLabel('名称（可选）').press('Enter');
		await expect(drawn.count()).resolves.toBe(2);

		await page.getByLabel('最大覆盖（MCLP）').check();
		await page.getByLabel('新增站点数 p').fill('2');
		await page.getByRole('button', { name: '运行选址' }).click();

		await page.getByTestId('siting-results').waitFor({ timeout: 60_000 });
		await page
			.getByTestId('scenario-status')
			.filter({ hasText: '新增 2 处站点' })
			.waitFor({ timeout: 30_000 });
		await expect(page.locator('[data-testid="chosen-sites"] li').count()).resolves.toBe(2);
		await expect(page.getByTestId('chosen-sites').textContent()).resolves.toContain('键入候选点');
		await expect(page.getByTestId('siting-share').textContent()).resolves.toMatch(/→/);

		const after = await sharePercent(page);
		expect(after).toBeGreaterThan(before);
		await expect(page.getByTestId('baseline-share').textContent()).resolves.toContain(
			`${before.toFixed(1)}%`
		);
		const cells = Number(await page.getByTestId('gap-count').getAttribute('data-cells'));
		expect(cells).toBeLessThan(coverage.gaps.length);
		// The tables now carry each region's change; some street gained.
		await expect(page.locator('[data-testid="street-table"] td.change.up').count()).resolves.toBeGreaterThan(
			0
		);

		await page.waitForTimeout(800);
		expect(await countDrawn(page, 'added-sites')).toBe(2);
		expect(await countDrawn(page, 'coverage-gaps')).toBeLessThan(coverage.gaps.length);
		await screenshot(page, 'planning-mclp.png');
	});

	it('saves the scenario, lists it, and prints its one-page report with an SVG map', async () => {
		const shown = (await page.getByTestId('district-share').textContent())!;
		await page.getByLabel('方案名称').fill(SCENARIO_NAME);
		await page.getByRole('button', { name: '保存方案' }).click();
		const row = page.locator('[data-testid="scenario-list"] tbody tr', { hasText: SCENARIO_NAME });
		await row.waitFor({ timeout: 30_000 });
		await expect(row.textContent()).resolves.toContain(shown);

		const link = async (name: string) =>
			new URL((await row.getByRole('link', { name }).getAttribute('href'))!, page.url());
		const csv = await authFetch(await link('CSV'));
		expect(csv.status).toBe(200);
		expect(await csv.text()).toContain('level,code,name,elderly');

		const reportUrl = await link('打印报告');
		const report = await context.newPage();
		try {
			await report.goto(reportUrl.href);
			await expect(report.locator('h1').textContent()).resolves.toContain(SCENARIO_NAME);
			await expect(report.getByTestId('report-share').textContent()).resolves.toBe(shown);
			const map = report.getByTestId('report-map');
			await expect(map.evaluate((svg) => svg.tagName.toLowerCase())).resolves.toBe('svg');
			await expect(map.locator('path[data-code]').count()).resolves.toBeGreaterThanOrEqual(95);
			await expect(map.locator('.added-site').count()).resolves.toBe(2);
			await expect(report.locator('[data-testid="report-streets"] tbody tr').count()).resolves.toBe(10);
			await report.emulateMedia({ media: 'print' });
			await expect(report.locator('.toolbar').isVisible()).resolves.toBe(false);
			await screenshot(report, 'planning-report.png');
		} finally {
			await report.close();
		}
	});
});
