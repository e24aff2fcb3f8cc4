import { onScopeDispose, ref, type Ref } from 'vue';
import { playStep, type PlaySpeed, type Span } from './scrub.ts';

/**
 * Plays the replay forward at 1×, 10× or 60× on animation frames; it stops at the end of the
 * incident, when the page is hidden, or when the scope ends.
 */
export function usePlayback(at: Ref<number>, span: Ref<Span>, onFrame: (atMs: number) => void) {
  const playing = ref(false);
  const speed = ref<PlaySpeed>(1);
  let frame = 0;
  let last = 0;

  function tick(now: number): void {
    const step = playStep(at.value, now - last, speed.value, span.value);
    last = now;
    onFrame(step.atMs);
    if (step.ended) stop();
    else frame = requestAnimationFrame(tick);
  }

  function play(): void {
    if (playing.value) return;
    // From the end, playing starts over.
    if (at.value >= span.value.endMs) onFrame(span.value.startMs);
    playing.value = true;
    last = performance.now();
    frame = requestAnimationFrame(tick);
  }

  function stop(): void {
    playing.value = false;
    cancelAnimationFrame(frame);
  }

  function toggle(): void {
    if (playing.value) stop();
    else play();
  }

  onScopeDispose(stop);
  return { playing, speed, play, stop, toggle };
}
