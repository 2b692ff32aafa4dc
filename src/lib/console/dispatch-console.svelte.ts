/**
 * The state of one dispatch console: open incidents, responders, today's answer-time KPI, the
 * selected incident and its (audited) detail, and the commands sent over socket.io. The page wires
 * it to the socket and the keyboard; the components only read it and call its methods.
 */
import type { Socket } from 'socket.io-client';
import { byUrgency, isUnacknowledged } from '../alerts/sla';
import type { MessageKey } from '../i18n/messages';
import type {
	AnswerTimeKpi,
	ClientToServerEvents,
	CommandResult,
	IncidentDetail,
	IncidentSummary,
	ResponderSummary,
	ServerToClientEvents
} from '../realtime/events';
import type { Outcome } from '$lib/alerts/outcomes';
import { becameCriticalWaiting, isCriticalWaiting } from './critical-alarm';
import { PushesDuringRead, replaceById, replayOverSnapshot } from './snapshot-merge';
import { throttle } from './throttle';

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type IncidentAction =
	'acknowledge' | 'depart' | 'arrive' | 'escalate' | 'resolve' | 'mark_false_alarm';
export type DetailStatus = 'idle' | 'loading' | 'ready' | 'not_found' | 'failed';

/** A message for the dispatcher: what a command did, or why it was refused (with the server's code). */
export interface Notice {
	tone: 'ok' | 'error';
	key: MessageKey;
	values?: Record<string, string | number>;
	code?: string;
	/** The server's own words, shown under the translated message. */
	detail?: string;
}

const CLOSED = ['resolved', 'false_alarm'];
const isClosed = (incident: IncidentSummary) => CLOSED.includes(incident.state);
const KNOWN_ERRORS = ['CONFLICT', 'INVALID_TRANSITION', 'NOT_FOUND', 'BAD_COMMAND', 'UNAVAILABLE'];
/** How long a command may wait for its answer before the console says so. */
const COMMAND_TIMEOUT_MS = 10_000;
/** The KPI is refetched at most this often while incidents change. */
const KPI_REFRESH_MS = 2_000;
/** The open detail is refetched at most this often while its incident changes (each read is audited). */
const DETAIL_REFRESH_MS = 1_000;

export interface ConsoleInit {
	districtCode: string;
	incidents: IncidentSummary[];
	responders: ResponderSummary[];
	answerTimes: AnswerTimeKpi | null;
	/** Sounds when an incident becomes critical and unacknowledged (critical-alarm.ts says when). */
	chime?: () => void;
}

export class DispatchConsole {
	readonly districtCode: string;
	incidents = $state<IncidentSummary[]>([]);
	responders = $state<ResponderSummary[]>([]);
	answerTimes = $state<AnswerTimeKpi | null>(null);
	selectedId = $state<number | null>(null);
	detail = $state<IncidentDetail | null>(null);
	detailStatus = $state<DetailStatus>('idle');
	connected = $state(false);
	notice = $state<Notice | null>(null);
	/** Commands sent and not answered yet. */
	pending = $state(0);

	readonly queue = $derived([...this.incidents].sort(byUrgency));
	readonly waiting = $derived(this.incidents.filter(isUnacknowledged));
	/** What the title bar counts and the chime announces. */
	readonly criticalWaiting = $derived(this.incidents.filter(isCriticalWaiting));
	readonly selected = $derived(this.queue.find((i) => i.id === this.selectedId) ?? null);
	/** The detail of the selected incident only (never a previous one's while the next loads). */
	readonly selectedDetail = $derived(this.detail?.incident.id === this.selectedId ? this.detail : null);
	readonly proposedResponderIds = $derived(this.selectedDetail?.proposals.map((p) => p.responder.id) ?? []);

	private socket: ConsoleSocket | undefined;
	private chime: () => void;
	private detailRequest = 0;
	private detailAbort: AbortController | undefined;
	private kpiRequest = 0;
	private readonly refreshAnswerTimes = throttle(() => void this.loadAnswerTimes(), KPI_REFRESH_MS);
	private readonly refreshDetail = throttle(() => void this.loadDetail(), DETAIL_REFRESH_MS);
	/** What changed while a catch-up read was on its way, so its older answer cannot undo it. */
	private readonly incidentsDuringRead = new PushesDuringRead<IncidentSummary>();
	private readonly respondersDuringRead = new PushesDuringRead<ResponderSummary>();

	constructor(init: ConsoleInit) {
		this.districtCode = init.districtCode;
		this.incidents = init.incidents;
		this.responders = init.responders;
		this.answerTimes = init.answerTimes;
		this.chime = init.chime ?? (() => {});
	}

	/** Listens to the socket; returns what undoes it. */
	attach(socket: ConsoleSocket): () => void {
		this.socket = socket;
		socket.on('connect', () => {
			this.connected = true;
			// After a drop, what happened meanwhile is in the database: load it again.
			void this.catchUp();
		});
		socket.on('disconnect', () => (this.connected = false));
		socket.on('incident:opened', (incident) => this.upsert(incident));
		socket.on('incident:updated', (incident) => this.upsert(incident));
		socket.on('responder:updated', (responder) => this.upsertResponder(responder));
		return () => {
			this.refreshAnswerTimes.cancel();
			this.refreshDetail.cancel();
			this.detailAbort?.abort();
			socket.close();
			this.socket = undefined;
		};
	}

	select(id: number | null) {
		if (id === this.selectedId) return;
		this.selectedId = id;
		this.notice = null;
		void this.loadDetail();
	}

	/** Moves the selection one step up (-1) or down (+1) the queue; from nothing, to the top. */
	step(direction: 1 | -1) {
		const index = this.queue.findIndex((i) => i.id === this.selectedId);
		const next =
			index < 0 ? this.queue[0] : this.queue[Math.min(this.queue.length - 1, Math.max(0, index + direction))];
		if (next) this.select(next.id);
	}

	act(action: IncidentAction, outcome?: Outcome) {
		const incident = this.selected;
		if (!incident || !this.socket) return;
		this.send((answer) =>
			this.socket!.timeout(COMMAND_TIMEOUT_MS).emit(
				'incident:act',
				{ incidentId: incident.id, action, outcome: outcome ?? null },
				answer
			)
		);
	}

	/** Offers the selected incident to a responder; a CONFLICT says another dispatcher was first. */
	assign(responder: Pick<ResponderSummary, 'id' | 'name'>) {
		const incident = this.selected;
		if (!incident || !this.socket) return;
		this.send(
			(answer) =>
				this.socket!.timeout(COMMAND_TIMEOUT_MS).emit(
					'incident:assign',
					{ incidentId: incident.id, responderId: responder.id },
					answer
				),
			{ key: 'dispatch.assigned', values: { name: responder.name } }
		);
	}

	/** The `s` key: the first (nearest) proposal of the selected incident. */
	assignFirst() {
		const first = this.selectedDetail?.proposals[0];
		if (first) this.assign(first.responder);
		else if (this.selected) this.notice = { tone: 'error', key: 'dispatch.noProposalToAssign' };
	}

	private send(
		emit: (answer: (error: Error | null, result: CommandResult<IncidentSummary>) => void) => void,
		success?: Pick<Notice, 'key' | 'values'>
	) {
		this.notice = null;
		this.pending += 1;
		emit((error, result) => {
			this.pending -= 1;
			if (error) {
				this.notice = { tone: 'error', key: 'dispatch.error.TIMEOUT', code: 'TIMEOUT' };
			} else if (result.ok) {
				const incident = result.value;
				this.upsert(incident);
				// The queue shows a new state at once; an assignment also says who was asked, and a
				// closed incident, which leaves the queue, says where it went.
				if (success) this.notice = { tone: 'ok', ...success };
				else if (incident.state === 'resolved' || incident.state === 'false_alarm')
					this.notice = { tone: 'ok', key: `dispatch.closed.${incident.state}`, values: { id: incident.id } };
				else this.notice = null;
			} else {
				this.notice = {
					tone: 'error',
					key: KNOWN_ERRORS.includes(result.code)
						? (`dispatch.error.${result.code}` as MessageKey)
						: 'dispatch.error.other',
					code: result.code,
					detail: result.message
				};
			}
		});
	}

	upsert(incident: IncidentSummary) {
		this.incidentsDuringRead.record(incident);
		const closed = isClosed(incident);
		// Opened critical, raised to critical, or back to `new` after an acknowledgement.
		if (becameCriticalWaiting(this.incidents, [incident])) this.chime();
		this.incidents = replaceById(this.incidents, incident, closed);
		this.refreshAnswerTimes();
		if (incident.id !== this.selectedId) return;
		if (closed) {
			this.selectedId = null;
			this.detail = null;
			this.detailStatus = 'idle';
		} else {
			// Keep the panel's summary current at once; the rest of the detail follows from the server.
			if (this.detail?.incident.id === incident.id) this.detail = { ...this.detail, incident };
			this.refreshDetail();
		}
	}

	upsertResponder(responder: ResponderSummary) {
		this.respondersDuringRead.record(responder);
		this.responders = replaceById(this.responders, responder);
		if (this.detail?.proposals.some((p) => p.responder.id === responder.id)) {
			this.detail = {
				...this.detail,
				proposals: this.detail.proposals.map((p) =>
					p.responder.id === responder.id ? { ...p, responder } : p
				)
			};
		}
	}

	async catchUp() {
		const [incidents, responders] = await Promise.all([
			this.incidentsDuringRead.around(() => this.getJson<IncidentSummary[]>('incidents')),
			this.respondersDuringRead.around(() => this.getJson<ResponderSummary[]>('responders'))
		]);
		if (incidents.answer) {
			const before = this.incidents;
			this.incidents = replayOverSnapshot(incidents.answer, incidents.received, isClosed);
			// What was missed while offline rings once, however many incidents it is.
			if (becameCriticalWaiting(before, this.incidents)) this.chime();
			if (this.selectedId !== null && !this.incidents.some((i) => i.id === this.selectedId))
				this.select(null);
		}
		if (responders.answer) this.responders = replayOverSnapshot(responders.answer, responders.received);
		await Promise.all([this.loadAnswerTimes(), this.selectedId !== null ? this.loadDetail() : null]);
	}

	async loadAnswerTimes() {
		const request = ++this.kpiRequest;
		const kpi = await this.getJson<AnswerTimeKpi>('answer-times');
		if (kpi && request === this.kpiRequest) this.answerTimes = kpi;
	}

	/** Fetches the selected incident's detail; answers to a previous selection are dropped. */
	async loadDetail() {
		const id = this.selectedId;
		const request = ++this.detailRequest;
		this.detailAbort?.abort();
		if (id === null) {
			this.detail = null;
			this.detailStatus = 'idle';
			return;
		}
		const abort = (this.detailAbort = new AbortController());
		// A refetch of the same incident keeps the panel as it is until the answer comes.
		if (this.detail?.incident.id !== id) this.detailStatus = 'loading';
		try {
			const response = await fetch(`/api/districts/${this.districtCode}/incidents/${id}`, {
				signal: abort.signal
			});
			if (request !== this.detailRequest) return;
			if (response.status === 404) {
				this.detail = null;
				this.detailStatus = 'not_found';
				return;
			}
			if (!response.ok) throw new Error(`detail: HTTP ${response.status}`);
			const detail: IncidentDetail = await response.json();
			if (request !== this.detailRequest) return;
			this.detail = detail;
			this.detailStatus = 'ready';
		} catch (error) {
			if (request === this.detailRequest && !abort.signal.aborted) {
				this.detailStatus = 'failed';
				console.warn('incident detail', error);
			}
		}
	}

	private async getJson<T>(path: string): Promise<T | null> {
		try {
			const response = await fetch(`/api/districts/${this.districtCode}/${path}`);
			return response.ok ? ((await response.json()) as T) : null;
		} catch {
			// Offline for a moment: the next reconnect catches up again.
			return null;
		}
	}
}
