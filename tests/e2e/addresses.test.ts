/**
 * Standard addresses in a browser, on the built server: addresses imported through the API, the
 * door-plate sheet with a QR code (SVG) per address, the public page opened through the very URL a
 * plate's QR code encodes, and the boundary markers drawn as a layer on the boundaries map.
 */
import QRCode from 'qrcode';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserLoggedInAs, fetchAs, loginAs } from '../support/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	countDrawn,
	launchChromium,
	openMapPage,
	screenshot,
	startBuiltServer,
	type RunningServer
} from '../support/browser';

const DISTRICT = '350203';
const run = Date.now().toString(36);

describe('standard addresses and QR door plates in a browser', () => {
	let server: RunningServer;
	let baseUrl: string;
	let browser: Browser;
	let context: BrowserContext;
	let authFetch: typeof fetch;
	let page: Page;
	let ids: number[];
	let codes: string[];

	beforeAll(async () => {
		server = await startBuiltServer();
		baseUrl = server.baseUrl;
		browser = await launchChromium();
		context = await browserLoggedInAs(browser, baseUrl, 'administrator');
		authFetch = fetchAs(await loginAs(baseUrl, 'administrator'));
		page = await context.newPage();
		const csv = [
			'external_id,road_name,house_number,building,unit,road_pinyin,lon,lat',
			`E1-${run},思明南路,12,,,,118.0905,24.449`,
			`E2-${run},思明南路,14,3,2,,118.0907,24.4492`
		].join('\n');
		const imported = await authFetch(`${baseUrl}/api/districts/${DISTRICT}/addresses?format=csv`, {
			method: 'POST',
			headers: { 'content-type': 'text/csv' },
			body: csv
		});
		expect(imported.status).toBe(201);
		const listed = await authFetch(
			`${baseUrl}/api/districts/${DISTRICT}/addresses?q=${encodeURIComponent('思明南路1')}`
		);
		const { addresses } = (await listed.json()) as {
			addresses: { id: number; code: string; externalId: string }[];
		};
		const mine = addresses.filter((a) => a.externalId.endsWith(run));
		ids = mine.map((a) => a.id);
		codes = mine.map((a) => a.code);
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('renders a door-plate sheet with an SVG QR code per address, encoding its public URL', async () => {
		const query = ids.map((id) => `id=${id}`).join('&');
		await page.goto(`${baseUrl}/addresses/plates?${query}`);
		const plates = page.locator('[data-testid="door-plate"]');
		await expect.poll(() => plates.count()).toBe(2);
		for (let i = 0; i < 2; i++) {
			const plate = plates.nth(i);
			const url = await plate.getAttribute('data-url');
			expect(url).toBe(`${baseUrl}/a/${codes[i]}`);
			const svg = await plate.locator('figure svg').evaluate((element) => element.outerHTML);
			expect(svg).toContain('<path');
			// The QR drawn is exactly the one of this URL.
			const expected = await QRCode.toString(url!, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
			const paths = (text: string) => [...text.matchAll(/ d="([^"]+)"/g)].map((m) => m[1]);
			expect(paths(svg)).toEqual(paths(expected));
		}
		await screenshot(page, 'door-plates.png');
	});

	it('opens the public page through the URL the QR encodes, with the nearest facility and no residents', async () => {
		const url = await page.locator('[data-testid="door-plate"]').first().getAttribute('data-url');
		const response = await page.goto(url!);
		expect(response?.status()).toBe(200);
		await expect.poll(() => page.locator('[data-testid="address-name"]').textContent()).toBe('思明南路12号');
		expect(await page.locator('[data-testid="address-code"]').textContent()).toBe(codes[0]);
		expect(await page.locator('[data-testid="nearest-facility"]').textContent()).toContain(
			'鸿山社区居家养老服务站'
		);
		expect(await page.content()).not.toMatch(/resident|住户姓名/);
		await screenshot(page, 'address-page.png');
	});

	it('checks an import file on the addresses page in a dry run, naming the bad line and saving nothing', async () => {
		await page.goto(`${baseUrl}/addresses`);
		const csv = [
			'external_id,road_name,house_number,lon,lat',
			`U1-${run},中山路,8,118.0805,24.4555`,
			`U2-${run},中山路,,118.0806,24.4556`
		].join('\n');
		await page.setInputFiles('input[name="file"]', {
			name: 'addresses.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(csv)
		});
		expect(await page.isChecked('input[name="dryRun"]')).toBe(true);
		await page.click('form.import button[type="submit"]');
		const report = page.locator('[data-testid="import-report"]');
		await expect.poll(() => report.textContent(), { timeout: 10_000 }).toContain('第 3 行');
		expect(await report.textContent()).toContain('house_number is missing');
		const listed = await authFetch(
			`${baseUrl}/api/districts/${DISTRICT}/addresses?q=${encodeURIComponent('中山路8号')}`
		);
		const { addresses } = (await listed.json()) as { addresses: { externalId: string }[] };
		expect(addresses.filter((a) => a.externalId.endsWith(run))).toEqual([]);
	});

	it('redirects a code typed loosely to its printed form, and answers 404 for a mistyped one', async () => {
		const loose = codes[0].replace(/-/g, '').toLowerCase();
		const response = await fetch(`${baseUrl}/a/${loose}`, { redirect: 'manual' });
		expect(response.status).toBe(301);
		expect(response.headers.get('location')).toBe(`/a/${codes[0]}`);
		const typo = codes[0].slice(0, 7) + (codes[0][7] === '1' ? '2' : '1') + codes[0].slice(8);
		expect((await fetch(`${baseUrl}/a/${typo}`)).status).toBe(404);
	});

	it('draws boundary markers as a layer on the boundaries map', async () => {
		const derived = await authFetch(`${baseUrl}/api/districts/${DISTRICT}/boundaries/lines`, {
			method: 'POST'
		});
		expect(derived.status).toBe(200);
		const lines = (await (
			await authFetch(`${baseUrl}/api/districts/${DISTRICT}/boundaries/lines`)
		).json()) as {
			features: { properties: { lineCode: string }; geometry: { coordinates: number[][][] } }[];
		};
		const line = lines.features.find((f) => f.properties.lineCode === '001003')!;
		const [lon, lat] = line.geometry.coordinates[0][0];
		const csv = [
			'number,marker_type,line_code,lon,lat',
			`E-${run}-1,Q,001003,${lon},${lat}`,
			`E-${run}-2,Q,001003,${lon + 0.002},${lat}`
		].join('\n');
		const imported = await authFetch(`${baseUrl}/api/districts/${DISTRICT}/boundaries/markers?format=csv`, {
			method: 'POST',
			// text/plain would be refused as a cross-site form post; the API takes text/csv or GeoJSON.
			headers: { 'content-type': 'text/csv' },
			body: csv
		});
		expect(imported.status).toBe(201);
		const markers = (await (
			await authFetch(`${baseUrl}/api/districts/${DISTRICT}/boundaries/markers`)
		).json()) as {
			features: { properties: { marker_id: number; number: string } }[];
		};
		const markerId = markers.features.find((f) => f.properties.number === `E-${run}-1`)!.properties.marker_id;
		// A photo above adapter-node's default 512 KB body limit is taken; one above 2 MiB is refused by rule.
		const upload = (bytes: number) => {
			const png = new Uint8Array(bytes);
			png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
			const form = new FormData();
			form.set('photo', new File([png], 'marker.png', { type: 'image/png' }));
			return authFetch(`${baseUrl}/api/districts/${DISTRICT}/boundaries/markers/${markerId}/photos`, {
				method: 'POST',
				headers: { origin: baseUrl },
				body: form
			});
		};
		expect((await upload(1_000_000)).status).toBe(201);
		expect((await upload(3_000_000)).status).toBe(400);
		const mapPage = await openMapPage(context, `${baseUrl}/boundaries`);
		const drawn = await countDrawn(mapPage, 'boundary-markers');
		expect(drawn).toBeGreaterThanOrEqual(1);
		await screenshot(mapPage, 'boundaries-map.png');
		await mapPage.close();
	});
});
