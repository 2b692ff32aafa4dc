/** Households and the alerts they raise, for tests that work below the services (Siming, 350203). */
import { raiseAlert, type AlertInput } from '../../src/lib/server/alerts/incidents';
import type { Sql } from '../../src/lib/server/db/client';
import { saveHousehold } from '../../src/lib/server/devices/registry';

export const TEST_DISTRICT = '350203';
/** A home in Siming, on land. */
export const TEST_HOME: [number, number] = [118.0825, 24.4565];

export const saveTestHousehold = (
	sql: Sql,
	externalId: string,
	location: [number, number] = TEST_HOME
): Promise<number> =>
	saveHousehold(sql, {
		externalId,
		districtCode: TEST_DISTRICT,
		residentName: '测试住户',
		location,
		consent: true
	});

/** An alert from a household, now, with no community (the tests that need one pass it). */
export const testAlert = (
	householdId: number,
	kind: AlertInput['kind'],
	severity: AlertInput['severity'],
	more: Partial<AlertInput> = {}
): AlertInput => ({
	householdId,
	districtCode: TEST_DISTRICT,
	communityCode: null,
	location: TEST_HOME,
	kind,
	severity,
	at: new Date(),
	actor: 'test',
	detail: {},
	...more
});

/** Raises the alert in a transaction of its own, as the ingest does. */
export const raiseTestAlert = (sql: Sql, alert: AlertInput) =>
	sql.begin((tx) => raiseAlert(tx as unknown as Sql, alert));
