/**
 * What a household's and a device's fields may hold: one set of rules for the operator forms
 * (forms.ts) and the CSV importers (imports/csv-records.ts), matching the checks of migration 0006.
 */
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Landlines (0592-5550000), mobiles (13800138000) and +86 numbers; spaces and dashes allowed. */
export const PHONE_PATTERN = /^[+\d][\d\s-]{4,19}$/;

/** How often a device must be heard from, in seconds (devices.heartbeat_s). */
export const HEARTBEAT_S = { min: 10, max: 86_400, default: 300 } as const;

/** A device reporting less battery than this (percent) is listed as low on battery. */
export const LOW_BATTERY_PERCENT = 20;

export const FIRMWARE_MAX_LENGTH = 64;

/** A household's emergency contacts: how many, and how long a name and a relation may be. */
export const EMERGENCY_CONTACTS = { max: 10, nameMaxLength: 50, relationMaxLength: 20 } as const;
