/**
 * The plan-monitoring dashboard and its evaluation report in chromium, on the built server (real
 * services when DATABASE_URL is set, embedded otherwise): every indicator with its ECharts chart and
 * status under the stated rule, a figure without a source refused in the form with the reason, the
 * projects' "what if it opens" run as a planning scenario, and the printable report with SVG charts,
 * the coverage map and the projects, kept as screenshots and a PDF for CI.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorState } from '../../src/lib/dashboard/plan-status';
import { browserLoggedInAs, fetchAs, loginAs } from '../support/auth';
import {
	ARTIFACTS,
	launchChromium,
	screenshot,
	startBuiltServer,
	type RunningServer
} from '../support/browser';

const DISTRICT = '350203';

describe('the plan-monitoring dashboard in a browser', () => {
	let server: RunningServer;
	let browser: Browser;
	let planner: BrowserContext;
	let page: Page;
	let indicators: IndicatorState[];
	/** fetch() as the planner who keeps the plan's figures. */
	let fetch: typeof globalThis.fetch;

	beforeAll(async () => {
		server = await startBuiltServer();
		const session = await loginAs(server.baseUrl, 'planner');
		fetch = fetchAs(session);
		const response = await fetch(`${server.baseUrl}/api/districts/${DISTRICT}/indicators`);
		expect(response.status).toBe(200);
		indicators = (await response.json()) as IndicatorState[];
		browser = await launchChromium();
		planner = await browserLoggedInAs(browser, server.baseUrl, session);
		page = await planner.newPage();
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('shows every indicator with its chart, its value and its status, and states the rule', async () => {
		await page.goto(`${server.baseUrl}/dashboard`);
		await page.getByTestId('indicator').first().waitFor();
		expect(await page.getByTestId('indicator').count()).toBe(indicators.length);
		// ECharts has drawn a canvas in every chart.
		await page.waitForFunction(
			(count) => document.querySelectorAll('[data-testid="indicator-chart"] canvas').length >= count,
			indicators.length,
			{ timeout: 30_000 }
		);
		const facilities = indicators.find((i) => i.key === 'facility_count')!;
		const card = page.locator('[data-testid="indicator"][data-key="facility_count"]');
		expect(await card.getByTestId('indicator-current').textContent()).toBe(
			facilities.current!.toLocaleString('zh-CN')
		);
		expect(await card.getByTestId('indicator-status').getAttribute('data-status')).toBe(facilities.status);
		expect(await page.getByTestId('status-rule').textContent()).toContain('10');
		expect(await page.getByTestId('project').count()).toBeGreaterThanOrEqual(4);
		await screenshot(page, 'dashboard.png');
	});

	it('refuses a figure entered without its source and says why', async () => {
		const card = page.locator('[data-testid="indicator"][data-key="social_organisations"]');
		await card.locator('summary').click();
		const form = card.getByTestId('entry-form');
		await form.locator('input[name="value"]').fill('380');
		await form.locator('button[type="submit"]').click();
		const message = card.getByTestId('entry-error');
		await message.waitFor();
		expect(await message.textContent()).toMatch(/SOURCE_REQUIRED: source/);
		// The API says the same to a client.
		const refused = await fetch(
			`${server.baseUrl}/api/districts/${DISTRICT}/indicators/social_organisations/entries`,
			{
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ value: 380, asOf: '2024-12-31' })
			}
		);
		expect(refused.status).toBe(400);
		expect(((await refused.json()) as { message: string }).message).toMatch(/^SOURCE_REQUIRED: source/);
		const after = (await (
			await fetch(`${server.baseUrl}/api/districts/${DISTRICT}/indicators`)
		).json()) as IndicatorState[];
		const before = indicators.find((i) => i.key === 'social_organisations')!;
		expect(after.find((i) => i.key === 'social_organisations')!.entries).toHaveLength(before.entries.length);
	});

	it("runs a project's 'what if it opens' as a scenario on the planning page", async () => {
		const actions = page.locator('[data-testid="project-actions"][data-key="hubian_reservoir"]');
		await Promise.all([
			page.waitForURL(/\/planning\?scenario=\d+/, { timeout: 60_000 }),
			actions.getByTestId('what-if').click()
		]);
		const scenarioId = Number(new URL(page.url()).searchParams.get('scenario'));
		const saved = await fetch(`${server.baseUrl}/api/districts/${DISTRICT}/scenarios/${scenarioId}`);
		expect(saved.status).toBe(200);
		const scenario = (await saved.json()) as { added: { name: string }[] };
		expect(scenario.added.map((s) => s.name)).toEqual(['湖边水库地块医养康养综合体']);
		// The planning page opens the scenario and shows its coverage beside the open facilities'.
		await page.getByTestId('baseline-share').waitFor({ timeout: 60_000 });
		await screenshot(page, 'dashboard-what-if.png');
		await fetch(`${server.baseUrl}/api/districts/${DISTRICT}/scenarios/${scenarioId}`, { method: 'DELETE' });
	});

	it("runs 'what if it opens' from the planning page's own list of the plan's projects", async () => {
		await page.goto(`${server.baseUrl}/planning`);
		const list = page.getByTestId('project-what-if');
		const project = list.locator('li').filter({ hasText: '万寿' });
		await project.getByRole('button').click();
		await page.getByTestId('baseline-share').waitFor({ timeout: 60_000 });
		const scenarios = (await (
			await fetch(`${server.baseUrl}/api/districts/${DISTRICT}/scenarios`)
		).json()) as { id: number; name: string; addedCount: number }[];
		const saved = scenarios.find((s) => s.name.includes('万寿'));
		expect(saved?.addedCount).toBe(1);
		await fetch(`${server.baseUrl}/api/districts/${DISTRICT}/scenarios/${saved!.id}`, { method: 'DELETE' });
	});

	it('answers a date that is not one, or an unknown report kind, with a 400 naming it', async () => {
		const badDate = await fetch(`${server.baseUrl}/api/districts/${DISTRICT}/indicators?date=2023-02-30`);
		expect(badDate.status).toBe(400);
		expect(((await badDate.json()) as { message: string }).message).toMatch(/^date: /);
		const badKind = await fetch(`${server.baseUrl}/dashboard/report?kind=annual`);
		expect(badKind.status).toBe(400);
		expect(await badKind.text()).toMatch(/kind: (&quot;|")annual/);
	});

	it('renders the mid-term evaluation report for a date with SVG charts, the coverage map and the projects', async () => {
		await page.goto(`${server.baseUrl}/dashboard/report?date=2023-12-31&kind=midterm`);
		const report = page.getByTestId('evaluation-report');
		await report.waitFor();
		expect(await report.locator('h1').textContent()).toContain('中期评估');
		await page.waitForFunction(
			(count) => document.querySelectorAll('[data-testid="indicator-chart"] svg').length >= count,
			indicators.length,
			{ timeout: 30_000 }
		);
		expect(await page.getByTestId('report-map').locator('path[data-code]').count()).toBeGreaterThan(90);
		expect(await report.getByTestId('project').count()).toBeGreaterThanOrEqual(4);
		// Nothing to edit on paper.
		expect(await report.locator('form').count()).toBe(0);
		await screenshot(page, 'dashboard-report.png');
		const pdf = path.join(ARTIFACTS, 'dashboard-report.pdf');
		await page.pdf({ path: pdf, format: 'A4', printBackground: true });
		expect((await stat(pdf)).size).toBeGreaterThan(10_000);
	});
});
