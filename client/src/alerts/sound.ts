import type { AlertKind } from './alerts.ts';

/** Frequencies (Hz) of each alert's notes: falling when a window opens, rising when it closes. */
const MELODY: Record<AlertKind, number[]> = {
  'window-opened': [880, 660],
  'window-changed': [880, 660, 880],
  'window-closed': [660, 880],
  overrun: [988, 988, 988],
  'dual-active': [988, 740, 988],
  // A notice, not an alarm: nothing is lost yet, one low note.
  'standby-lost': [523],
};
const NOTE_S = 0.18;
const GAP_S = 0.07;

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof AudioContext !== 'function') return null;
  context ??= new AudioContext();
  return context;
}

/** Browsers only start audio from a user gesture: called when the viewer turns sound on. */
export async function unlockSound(): Promise<boolean> {
  const ctx = audio();
  if (!ctx) return false;
  if (ctx.state === 'suspended') await ctx.resume();
  return ctx.state === 'running';
}

/** Plays the short tone of an alert; silent when audio is unavailable or still locked. */
export function playAlertSound(kind: AlertKind): void {
  const ctx = audio();
  if (!ctx || ctx.state !== 'running') return;
  let start = ctx.currentTime + 0.02;
  for (const frequency of MELODY[kind]) {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + NOTE_S);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start);
    oscillator.stop(start + NOTE_S + 0.02);
    start += NOTE_S + GAP_S;
  }
}
