/**
 * Back-off after failed logins: the first few mistakes cost nothing, then each further failure
 * doubles the wait, from 30 s up to 15 minutes. Pure, so the schedule is tested without a clock.
 */
export const FREE_FAILURES = 4;
const FIRST_WAIT_S = 30;
const LONGEST_WAIT_S = 15 * 60;

/** Seconds the account stays locked after its `failures`-th consecutive failure (0 = not locked). */
export function lockoutSeconds(failures: number): number {
	if (failures <= FREE_FAILURES) return 0;
	return Math.min(LONGEST_WAIT_S, FIRST_WAIT_S * 2 ** (failures - FREE_FAILURES - 1));
}
