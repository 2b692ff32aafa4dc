/**
 * The one typed contract of socket.io messages, imported by the server, the browser and the simulators.
 * Commands are imperative (`alert:ack`), broadcasts are past tense (`alert:created`).
 */
export interface ServerHello {
	/** Which web node the client is attached to (several nodes can serve one district). */
	node: string;
	version: string;
	districtCode: string;
}

export interface ServerToClientEvents {
	'server:hello': (hello: ServerHello) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClientToServerEvents {}
