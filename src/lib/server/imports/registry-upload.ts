/**
 * The households page's CSV upload (src/routes/admin/households, action `import`): checks the form,
 * runs the households or devices import of the operator's district, as a dry run or for real, and
 * says what it did in the shape the page shows. The passwords of the devices a real run registered
 * (or renewed) come back here once, for the page to show; nothing keeps or logs them.
 */
import { CRS_NAMES, type Crs } from '../../geo/crs';
import type { MessageKey } from '../../i18n/messages';
import type { Sql } from '../db/client';
import type { RegisteredDevice } from '../devices/registry';
import type { Rejected } from './import-result';
import { runImport } from './run-import';

export const REGISTRY_UPLOAD_KINDS = ['households', 'devices'] as const;
export type RegistryUploadKind = (typeof REGISTRY_UPLOAD_KINDS)[number];

/**
 * Under the server's 4 MB request limit (src/server.ts) with room for the rest of the form; some
 * 20,000 households with their contacts.
 */
export const REGISTRY_UPLOAD_MAX_BYTES = 3 * 1024 * 1024;

/** The submit buttons: check the file (a dry run), or import it. */
const MODES = ['check', 'import'] as const;

export interface RegistryUploadResult {
	kind: RegistryUploadKind;
	fileName: string;
	dryRun: boolean;
	/** For ImportReport.svelte: rejected rows are CSV line numbers. */
	format: 'csv';
	accepted: number;
	created: number;
	updated: number;
	rejected: Rejected[];
	/** The import run as listed on /admin/imports. */
	runId: number;
	/** The new device passwords: shown to the operator once, empty on a dry run. */
	credentials: RegisteredDevice[];
}

/** Why the form was refused, as a message key and its values. */
export interface RegistryUploadRefusal {
	key: MessageKey;
	values?: Record<string, string | number>;
}

export type RegistryUploadOutcome = { result: RegistryUploadResult } | { refused: RegistryUploadRefusal };

interface RegistryUpload {
	kind: RegistryUploadKind;
	file: File;
	bytes: Uint8Array;
	crs: Crs;
	dryRun: boolean;
}

function isOneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
	return (allowed as readonly unknown[]).includes(value);
}

/** Reads and checks the upload form: `kind`, `file`, `crs` (households only; default WGS-84), `mode`. */
async function readUpload(form: FormData): Promise<RegistryUpload | RegistryUploadRefusal> {
	const kind = form.get('kind');
	if (!isOneOf(REGISTRY_UPLOAD_KINDS, kind)) return { key: 'households.import.error.kind' };
	const mode = form.get('mode');
	if (!isOneOf(MODES, mode)) return { key: 'households.import.error.mode' };
	const crs = form.get('crs') ?? 'wgs84';
	if (!isOneOf(CRS_NAMES, crs)) return { key: 'households.import.error.crs' };
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return { key: 'households.import.error.noFile' };
	if (file.size > REGISTRY_UPLOAD_MAX_BYTES)
		return {
			key: 'households.import.error.tooLarge',
			values: { megabytes: REGISTRY_UPLOAD_MAX_BYTES / 1024 / 1024 }
		};
	if (!/\.csv$/i.test(file.name)) return { key: 'households.import.error.type' };
	const bytes = new Uint8Array(await file.arrayBuffer());
	// A spreadsheet saved under a .csv name (xlsx is a zip) holds NUL bytes; CSV text never does.
	if (bytes.includes(0)) return { key: 'households.import.error.type' };
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		// Excel's plain "CSV" is GBK on Chinese Windows: names would arrive garbled.
		return { key: 'households.import.error.encoding' };
	}
	return { kind, file, bytes, crs, dryRun: mode === 'check' };
}

/** Checks the form and, when it is right, runs the import it asks for. */
export async function importRegistryUpload(
	sql: Sql,
	form: FormData,
	context: { districtCode: string; actor: string }
): Promise<RegistryUploadOutcome> {
	const upload = await readUpload(form);
	if ('key' in upload) return { refused: upload };
	const report = await runImport(sql, {
		kind: upload.kind,
		fileName: upload.file.name,
		bytes: upload.bytes,
		crs: upload.crs,
		districtCode: context.districtCode,
		dryRun: upload.dryRun,
		actor: context.actor
	});
	return {
		result: {
			kind: upload.kind,
			fileName: report.fileName,
			dryRun: report.dryRun,
			format: 'csv',
			accepted: report.accepted,
			created: Number(report.summary.added),
			updated: Number(report.summary.updated),
			rejected: report.rejected,
			runId: report.runId,
			credentials: report.credentials
		}
	};
}
