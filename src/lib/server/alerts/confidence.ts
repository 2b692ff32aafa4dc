/**
 * How sure an incident is that a person needs help, from the alerts gathered on it and what the
 * home's door sensor said. A call-taker treats a fall that nothing else confirms differently from
 * a fall followed by no motion behind a shut door: that is one incident of high confidence, not
 * three jobs.
 */
import type { IncidentConfidence } from '../../realtime/events';
import type { AlertKind } from './alert-kinds';

/** Alarms about the person: each is an independent observation of the same emergency. */
const PERSON_ALARMS: readonly string[] = ['fall', 'inactivity', 'abnormal_vitals', 'geofence_exit'];
/** Alarms about the home. */
const HAZARDS: readonly string[] = ['smoke', 'gas', 'water_leak'];
/** Alarms about the equipment, not about anyone's state. */
const TECHNICAL: readonly string[] = ['low_battery', 'device_offline', 'lost_contact'];

export interface ConfidenceAssessment {
	confidence: IncidentConfidence;
	/** What it rests on: the alert kinds that agree, and `door_closed` when the door says nobody left. */
	evidence: string[];
}

/**
 * @param kinds the alert kinds on the incident
 * @param doorClosed the home's door sensor last reported the door shut (nobody went out)
 * @example assessConfidence(['fall', 'inactivity'], true).confidence // 'high'
 */
export function assessConfidence(
	kinds: readonly (AlertKind | string)[],
	doorClosed: boolean
): ConfidenceAssessment {
	if (kinds.includes('sos')) return { confidence: 'high', evidence: ['sos'] };
	const person = kinds.filter((k) => PERSON_ALARMS.includes(k));
	// The door matters for a person who may be lying inside, not for one who wandered off.
	const doorAgrees = doorClosed && (person.includes('fall') || person.includes('inactivity'));
	const personEvidence = doorAgrees ? [...person, 'door_closed'] : person;
	if (personEvidence.length >= 2) return { confidence: 'high', evidence: personEvidence };
	const hazards = kinds.filter((k) => HAZARDS.includes(k));
	if (hazards.length >= 2) return { confidence: 'high', evidence: hazards };
	if (person.length + hazards.length > 0) return { confidence: 'medium', evidence: [...person, ...hazards] };
	return { confidence: 'low', evidence: kinds.filter((k) => TECHNICAL.includes(k)) };
}
