/**
 * Clients try MQTT 5 first (shared subscriptions, reason codes such as PUBACK 0x10) and fall back to
 * 3.1.1 when the broker refuses it, as the embedded aedes does.
 */
export function refusesMqtt5(error: unknown): boolean {
	const reason = error instanceof Error ? error.message : String(error);
	return /unacceptable protocol version/i.test(reason);
}
