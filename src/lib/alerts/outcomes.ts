/** Outcome codes that close an incident; the state machine and the console's chooser share them. */
export const OUTCOMES = [
	'false_alarm',
	'resolved_by_phone',
	'home_visit',
	'sent_to_hospital',
	'referred_to_emergency',
	'no_access'
] as const;
export type Outcome = (typeof OUTCOMES)[number];
