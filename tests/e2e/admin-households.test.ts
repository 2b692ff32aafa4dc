/**
 * The household register in Debian's headless chromium against the built server (real services
 * when DATABASE_URL/MQTT_URL are set, embedded otherwise): an operator creates a household through
 * the form, is told next to the field what is wrong with a bad phone number and longitude without
 * losing what they typed, then registers a device and sees its password exactly once.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserLoggedInAs } from '../support/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, startBuiltServer, type RunningServer } from '../support/browser';

const run = Date.now().toString(36);
const HOUSEHOLD = `T-E2E-HH-${run}`;
const DEVICE = `T-E2E-DEV-${run}`;

describe('the household register in a browser', () => {
	let server: RunningServer;
	let browser: Browser;
	let context: BrowserContext;
	let page: Page;

	beforeAll(async () => {
		server = await startBuiltServer();
		browser = await launchChromium();
		context = await browserLoggedInAs(browser, server.baseUrl, 'administrator');
		page = await context.newPage();
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('refuses a bad phone number and longitude next to the fields, keeping what was typed', async () => {
		await page.goto(`${server.baseUrl}/admin/households/new`);
		await page.getByLabel('住户编号').fill(HOUSEHOLD);
		await page.getByLabel('老人姓名').fill('浏览器测试阿婆');
		await page.getByLabel('联系电话').fill('call me');
		await page.getByLabel('经度').fill('218.09');
		await page.getByLabel('纬度').fill('24.455');
		await page.getByRole('button', { name: '添加联系人' }).click();
		await page.getByLabel('姓名', { exact: true }).fill('女儿');
		await page.getByLabel('电话', { exact: true }).fill('13800000000');
		await page.getByRole('button', { name: '保存住户' }).click();

		await expect(page.locator('#phone-error').textContent()).resolves.toBe(
			'电话号码格式不正确（数字，可含 +、空格和 -）'
		);
		await expect(page.locator('#lon-error').textContent()).resolves.toBe('经度应为 -180 到 180 之间的数字');
		await expect(page.getByLabel('老人姓名').inputValue()).resolves.toBe('浏览器测试阿婆');
		await expect(page.getByLabel('经度').inputValue()).resolves.toBe('218.09');
		await expect(page.getByLabel('电话', { exact: true }).inputValue()).resolves.toBe('13800000000');
		expect(new URL(page.url()).pathname).toBe('/admin/households/new');
		await screenshot(page, 'household-form-errors.png');
	});

	it('creates the household once the fields are right, flagged while consent is missing', async () => {
		await page.getByLabel('联系电话').fill('0592-5550000');
		await page.getByLabel('经度').fill('118.09');
		await page.getByRole('button', { name: '保存住户' }).click();
		await page.waitForURL(/\/admin\/households\/\d+$/);
		await expect(page.locator('h1').textContent()).resolves.toBe('住户：浏览器测试阿婆');
		await expect(page.getByTestId('no-consent').isVisible()).resolves.toBe(true);
		await expect(page.getByLabel('电话', { exact: true }).inputValue()).resolves.toBe('13800000000');
	});

	it('registers a device and shows its password once', async () => {
		await page.getByLabel('设备编号').fill(DEVICE);
		await page.getByLabel('类型').selectOption('fall_detector');
		await page.getByLabel('心跳间隔（秒）').fill('120');
		await page.getByRole('button', { name: '登记设备' }).click();

		const secret = await page.getByTestId('device-secret').textContent();
		expect(secret).toMatch(/^[A-Za-z0-9_-]{24}$/);
		await expect(page.getByTestId('device-credential').textContent()).resolves.toContain(
			`设备 ${DEVICE} 已登记`
		);
		const row = page.locator(`tr[data-device-id="${DEVICE}"]`);
		await expect(row.textContent()).resolves.toContain('跌倒检测器');
		await expect(row.getByTestId('device-state').textContent()).resolves.toContain('离线');
		await screenshot(page, 'household-device-registered.png');

		await page.reload();
		await row.waitFor();
		await expect(page.getByTestId('device-secret').count()).resolves.toBe(0);
		await expect(page.content()).resolves.not.toContain(secret!);
	});

	it('lists the household without consent flagged, with its device offline', async () => {
		await page.goto(`${server.baseUrl}/admin/households?q=${encodeURIComponent(HOUSEHOLD)}`);
		const row = page.locator('tbody tr');
		await expect(row.count()).resolves.toBe(1);
		await expect(row.textContent()).resolves.toContain('未同意监测');
		await expect(row.textContent()).resolves.toContain('1 台（0 在线 / 1 离线）');
	});
});
