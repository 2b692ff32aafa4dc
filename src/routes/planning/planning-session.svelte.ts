/**
 * What the planner is working on in /planning, and its calls to the planning API: candidate sites
 * (drawn, typed, uploaded, the plan's own), the siting form and its result, the scenario those make
 * (open facilities plus added sites) with its coverage, and the saved scenarios. The page and its
 * panels read and change this one object.
 */
import type {
	CandidateSite,
	CoverageParameters,
	CoverageReport,
	SavedScenario,
	ScenarioComparison,
	ScenarioDefinition,
	ScenarioSummary,
	SitingResult
} from '$lib/planning/report';

export type SitingModelName = 'mclp' | 'lscp' | 'pmedian';

export interface SitingForm {
	model: SitingModelName;
	p: number;
	/** Percent, as typed: 95 means 0.95. */
	targetPercent: number;
	capacitated: boolean;
	defaultCapacity: number | null;
	solver: 'greedy' | 'both';
	timeLimitSeconds: number;
	generated: number;
}

export interface UploadedCandidates {
	fileName: string;
	/** The file's JSON as read; the server checks it and says what is wrong. */
	geojson: unknown;
	/** Its Point features, to draw before the server has seen them. */
	points: CandidateSite[];
}

/** The error text of a failed API call: its `{ message }`, or the HTTP status. */
async function messageOf(response: Response): Promise<string> {
	try {
		const body = (await response.json()) as { message?: unknown };
		if (typeof body.message === 'string') return body.message;
	} catch {
		// Not JSON: fall through to the status line.
	}
	return `HTTP ${response.status} ${response.statusText}`.trim();
}

/** The parameters as the API takes them (the bands follow from the minutes). */
function requestParameters({ minutes, speedMps, kind }: CoverageParameters) {
	return { minutes, speedMps, kind };
}

/** Point features of an uploaded file, for display; anything else is left for the server to refuse. */
export function pointsOf(json: unknown): CandidateSite[] {
	const features = (json as { features?: unknown } | null)?.features;
	if (!Array.isArray(features)) return [];
	return features.flatMap((feature, i) => {
		const f = feature as {
			geometry?: { type?: string; coordinates?: unknown[] };
			properties?: Record<string, unknown> | null;
		} | null;
		const [lon, lat] = f?.geometry?.type === 'Point' ? (f.geometry.coordinates ?? []) : [];
		if (typeof lon !== 'number' || typeof lat !== 'number') return [];
		const name = f?.properties?.name;
		return [
			{
				name: typeof name === 'string' && name.trim() ? name.trim() : `#${i + 1}`,
				kind: 'community_station',
				lon,
				lat,
				capacity: null,
				source: 'uploaded' as const
			}
		];
	});
}

export class PlanningSession {
	readonly districtCode: string;
	/** Coverage of the open facilities for the current parameters (from the page load). */
	baseline = $state.raw<CoverageReport>(null as unknown as CoverageReport);
	/** The plan's named projects, drawn while they are offered as candidates. */
	planned = $state.raw<CandidateSite[]>([]);

	drawn = $state.raw<CandidateSite[]>([]);
	upload = $state.raw<UploadedCandidates | null>(null);
	uploadError = $state<string | null>(null);
	usePlanned = $state(true);
	drawing = $state(false);
	/** The kind a new drawn or typed candidate is proposed as. */
	newKind = $state('community_station');

	form = $state<SitingForm>({
		model: 'mclp',
		p: 2,
		targetPercent: 98,
		capacitated: false,
		defaultCapacity: null,
		solver: 'greedy',
		timeLimitSeconds: 10,
		generated: 0
	});
	running = $state(false);
	sitingError = $state<string | null>(null);
	result = $state.raw<SitingResult | null>(null);
	/** The model the result came from, kept with a saved scenario. */
	private resultSiting: ScenarioDefinition['siting'] = null;

	/** Sites of an opened saved scenario: kept when siting chooses more. */
	kept = $state.raw<CandidateSite[]>([]);
	private keptSiting: ScenarioDefinition['siting'] = null;
	/** Coverage with the scenario's sites added; null while the scenario is the open facilities alone. */
	scenarioCoverage = $state.raw<CoverageReport | null>(null);
	scenarioBusy = $state(false);
	scenarioError = $state<string | null>(null);

	scenarios = $state.raw<ScenarioSummary[]>([]);
	scenarioName = $state('');
	saving = $state(false);
	saveError = $state<string | null>(null);
	savedId = $state<number | null>(null);

	compareIds = $state<{ a: number | null; b: number | null }>({ a: null, b: null });
	comparison = $state.raw<ScenarioComparison | null>(null);
	compared = $state.raw<[SavedScenario, SavedScenario] | null>(null);
	compareError = $state<string | null>(null);

	constructor(init: {
		districtCode: string;
		baseline: CoverageReport;
		planned: CandidateSite[];
		scenarios: ScenarioSummary[];
	}) {
		this.districtCode = init.districtCode;
		this.baseline = init.baseline;
		this.planned = init.planned;
		this.scenarios = init.scenarios;
	}

	private get api() {
		return `/api/districts/${this.districtCode}`;
	}

	/** The sites the scenario adds: those of an opened scenario, then those siting chose. */
	get added(): CandidateSite[] {
		return [...this.kept, ...(this.result?.chosen ?? [])];
	}

	/** What the tables and the map show: the scenario when it adds sites, else the open facilities. */
	get shown(): CoverageReport {
		return this.scenarioCoverage ?? this.baseline;
	}

	/** Every candidate the next run will choose from that the page knows the place of. */
	get candidates(): CandidateSite[] {
		const generated = this.result?.candidates.filter((c) => c.source === 'generated') ?? [];
		return [
			...(this.usePlanned ? this.planned : []),
			...this.drawn,
			...(this.upload?.points ?? []),
			...generated
		];
	}

	addCandidate(lon: number, lat: number, name?: string) {
		const n = this.drawn.length + 1;
		this.drawn = [
			...this.drawn,
			{ name: name?.trim() || `C${n}`, kind: this.newKind, lon, lat, capacity: null, source: 'drawn' }
		];
	}

	removeCandidate(index: number) {
		this.drawn = this.drawn.filter((_, i) => i !== index);
	}

	/** Reads an uploaded GeoJSON file in the browser; only a file that is not JSON is refused here. */
	async readUpload(file: File, notJson: string) {
		this.uploadError = null;
		try {
			const geojson: unknown = JSON.parse(await file.text());
			this.upload = { fileName: file.name, geojson, points: pointsOf(geojson) };
		} catch {
			this.upload = null;
			this.uploadError = notJson;
		}
	}

	clearUpload() {
		this.upload = null;
		this.uploadError = null;
	}

	/** A new baseline (other minutes or kind): the scenario's coverage is counted again for it. */
	async rebase(baseline: CoverageReport, planned: CandidateSite[]) {
		const changed =
			JSON.stringify(requestParameters(baseline.parameters)) !==
			JSON.stringify(requestParameters(this.baseline.parameters));
		this.baseline = baseline;
		this.planned = planned;
		if (!changed) return;
		this.result = null;
		this.resultSiting = null;
		await this.refreshScenario();
	}

	async run() {
		const { form } = this;
		this.running = true;
		this.sitingError = null;
		const body = {
			parameters: requestParameters(this.baseline.parameters),
			model: form.model,
			...(form.model === 'lscp' ? { targetShare: form.targetPercent / 100 } : { p: form.p }),
			...(form.model === 'mclp' ? { capacitated: form.capacitated } : {}),
			...(form.model === 'mclp' && form.capacitated && form.defaultCapacity !== null
				? { defaultCapacity: form.defaultCapacity }
				: {}),
			solver: form.solver,
			timeLimitSeconds: form.timeLimitSeconds,
			candidates: {
				planned: this.usePlanned,
				generated: form.generated,
				sites: this.drawn,
				...(this.upload ? { geojson: this.upload.geojson } : {})
			},
			added: this.kept,
			removedFacilityIds: []
		};
		try {
			const response = await fetch(`${this.api}/siting`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
			if (!response.ok) {
				this.sitingError = await messageOf(response);
				return;
			}
			this.result = (await response.json()) as SitingResult;
			this.resultSiting = {
				model: form.model,
				...(form.model === 'lscp' ? { targetShare: form.targetPercent / 100 } : { p: form.p }),
				...(form.model === 'mclp' ? { capacitated: form.capacitated } : {})
			};
		} catch (failure) {
			this.sitingError = String(failure);
		} finally {
			this.running = false;
		}
		await this.refreshScenario();
	}

	/** Counts the scenario's coverage (tables, gaps) on the server; the open facilities need no call. */
	async refreshScenario() {
		const added = this.added;
		this.scenarioError = null;
		if (added.length === 0) {
			this.scenarioCoverage = null;
			return;
		}
		this.scenarioBusy = true;
		try {
			const response = await fetch(`${this.api}/coverage`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					parameters: requestParameters(this.baseline.parameters),
					added,
					removedFacilityIds: []
				})
			});
			if (response.ok) this.scenarioCoverage = (await response.json()) as CoverageReport;
			else this.scenarioError = await messageOf(response);
		} catch (failure) {
			this.scenarioError = String(failure);
		} finally {
			this.scenarioBusy = false;
		}
	}

	/** Back to the open facilities alone; candidates stay. */
	reset() {
		this.kept = [];
		this.keptSiting = null;
		this.result = null;
		this.resultSiting = null;
		this.scenarioCoverage = null;
		this.scenarioError = null;
		this.sitingError = null;
		this.savedId = null;
	}

	async save() {
		this.saving = true;
		this.saveError = null;
		this.savedId = null;
		const definition = {
			name: this.scenarioName,
			parameters: requestParameters(this.baseline.parameters),
			added: this.added,
			removedFacilityIds: [],
			siting: this.result ? this.resultSiting : this.keptSiting
		};
		try {
			const response = await fetch(`${this.api}/scenarios`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(definition)
			});
			if (!response.ok) {
				this.saveError = await messageOf(response);
				return;
			}
			this.savedId = ((await response.json()) as SavedScenario).id;
			await this.refreshList();
		} catch (failure) {
			this.saveError = String(failure);
		} finally {
			this.saving = false;
		}
	}

	async refreshList() {
		const response = await fetch(`${this.api}/scenarios`);
		if (response.ok) this.scenarios = (await response.json()) as ScenarioSummary[];
	}

	private async fetchScenario(id: number): Promise<SavedScenario> {
		const response = await fetch(`${this.api}/scenarios/${id}`);
		if (!response.ok) throw new Error(await messageOf(response));
		return (await response.json()) as SavedScenario;
	}

	/**
	 * Makes a saved scenario the current one. Returns its parameters when they differ from the
	 * page's, for the page to load (which then counts the scenario again through `rebase`).
	 */
	async open(id: number): Promise<CoverageParameters | null> {
		this.scenarioError = null;
		try {
			const scenario = await this.fetchScenario(id);
			this.result = null;
			this.resultSiting = null;
			this.kept = scenario.added;
			this.keptSiting = scenario.siting;
			this.scenarioName = scenario.name;
			const same =
				JSON.stringify(requestParameters(scenario.parameters)) ===
				JSON.stringify(requestParameters(this.baseline.parameters));
			if (!same) return scenario.parameters;
			await this.refreshScenario();
		} catch (failure) {
			this.scenarioError = failure instanceof Error ? failure.message : String(failure);
		}
		return null;
	}

	async remove(id: number) {
		const response = await fetch(`${this.api}/scenarios/${id}`, { method: 'DELETE' });
		if (!response.ok && response.status !== 404) {
			this.saveError = await messageOf(response);
			return;
		}
		if (this.compareIds.a === id) this.compareIds.a = null;
		if (this.compareIds.b === id) this.compareIds.b = null;
		await this.refreshList();
	}

	async compare() {
		const { a, b } = this.compareIds;
		this.compareError = null;
		if (a === null || b === null) return;
		try {
			const response = await fetch(`${this.api}/scenarios/compare?a=${a}&b=${b}`);
			if (!response.ok) throw new Error(await messageOf(response));
			const [first, second] = await Promise.all([this.fetchScenario(a), this.fetchScenario(b)]);
			this.comparison = (await response.json()) as ScenarioComparison;
			this.compared = [first, second];
		} catch (failure) {
			this.comparison = null;
			this.compared = null;
			this.compareError = failure instanceof Error ? failure.message : String(failure);
		}
	}

	closeComparison() {
		this.comparison = null;
		this.compared = null;
	}
}
