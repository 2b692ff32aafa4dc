/**
 * The console's one AudioContext and its chime. Browsers keep a context suspended until the page
 * has been used (autoplay policy), so a wall screen nobody clicked would stay silent: `blocked`
 * says so for the page to show, and the first key press or click anywhere resumes it.
 */
export class AlarmSound {
	/** The browser holds the sound back until someone presses a key or clicks. */
	blocked = $state(false);
	private context: AudioContext | undefined;

	/** Creates the context and resumes it on the page's first key press or click; returns what undoes it. */
	attach(page: EventTarget): () => void {
		let context: AudioContext;
		try {
			context = new AudioContext();
		} catch {
			// No audio output: the title count and the queue still show what waits.
			return () => {};
		}
		this.context = context;
		const onState = () => (this.blocked = context.state !== 'running');
		// Kept listening: a browser may suspend it again (an audio device change), the next gesture resumes it.
		const resume = () => this.resume();
		onState();
		context.addEventListener('statechange', onState);
		page.addEventListener('keydown', resume, true);
		page.addEventListener('pointerdown', resume, true);
		return () => {
			context.removeEventListener('statechange', onState);
			page.removeEventListener('keydown', resume, true);
			page.removeEventListener('pointerdown', resume, true);
			this.context = undefined;
			void context.close();
		};
	}

	/** Lets the sound play; works only within a key press or click (the browser's rule). */
	resume() {
		if (this.context && this.context.state !== 'running') this.context.resume().catch(() => {});
	}

	/** Two short high tones; nothing while the context is suspended (the page shows why). */
	chime() {
		const context = this.context;
		if (!context || context.state !== 'running') return;
		const start = context.currentTime;
		for (const [offset, frequency] of [
			[0, 880],
			[0.3, 1175]
		]) {
			const tone = context.createOscillator();
			const volume = context.createGain();
			tone.frequency.value = frequency;
			// A short fade in and out: a tone cut off at full volume clicks.
			volume.gain.setValueAtTime(0, start + offset);
			volume.gain.linearRampToValueAtTime(0.4, start + offset + 0.02);
			volume.gain.linearRampToValueAtTime(0, start + offset + 0.22);
			tone.connect(volume).connect(context.destination);
			tone.start(start + offset);
			tone.stop(start + offset + 0.25);
		}
	}
}
