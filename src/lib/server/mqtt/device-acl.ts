/**
 * The topic rules of a device: it may publish only its own uplink topics and read only its own
 * downlink. The embedded broker enforces them directly; the Mosquitto ACL file says the same.
 */
import { UPLINK_KINDS, parseDeviceTopic } from '../../mqtt/contract';

/** Null when the device may publish there, otherwise the reason it may not. */
export function refusePublish(deviceId: string, topic: string): string | null {
	const parsed = parseDeviceTopic(topic);
	if (!parsed || parsed.kind === 'cmd') {
		return `topic ${topic} is not one of care/{district}/devices/${deviceId}/{${UPLINK_KINDS.join('|')}}`;
	}
	if (parsed.deviceId !== deviceId) return `device ${deviceId} may not publish as device ${parsed.deviceId}`;
	return null;
}

/** A device may subscribe only to its own command topic, with no wildcards. */
export function maySubscribe(deviceId: string, topic: string): boolean {
	const parsed = parseDeviceTopic(topic);
	return parsed !== null && parsed.kind === 'cmd' && parsed.deviceId === deviceId;
}
