import packageJson from '../../../package.json' with { type: 'json' };

/** The app version reported by the health endpoint and the realtime handshake. */
export const APP_VERSION: string = packageJson.version;
