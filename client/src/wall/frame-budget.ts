/**
 * Tiles drawn anew per animation frame, whatever changed them: a status, a place or a size. At
 * 4K a frame of 60 tiles costs the main thread about 15 ms; a failover that recolours 400 tiles
 * and, with its banner, moves all 500 is drawn within about fifteen frames, a quarter of a second.
 */
export const TILES_PER_FRAME = 60;

/**
 * One kind of staged work: given room for `room` tiles in this frame, draws some and says how
 * many it drew and whether any are left.
 */
export type FrameStep = (room: number) => { used: number; more: boolean };

/**
 * The wall's animation frames, shared by what draws tiles a slice at a time (statuses, layout):
 * each frame runs the waiting steps in the order they first asked, until `perFrame` tiles are
 * drawn between them. Two stagers with their own frames each drew their full slice in the same
 * frame, and a failover that both moved and recoloured the tiles made the wall's longest task.
 * Work starts on the frame after the one it was asked in: the change's own frame already draws
 * the rest of the wall (banner, servers, counts).
 */
export function frameBudget(perFrame = TILES_PER_FRAME) {
  const steps = new Set<FrameStep>();
  let frame = 0;

  function run(): void {
    frame = 0;
    let room = perFrame;
    for (const step of steps) {
      if (room <= 0) break;
      const { used, more } = step(room);
      room -= used;
      if (!more) steps.delete(step);
    }
    if (steps.size) frame = requestAnimationFrame(run);
  }

  return {
    /** Runs `step` on the coming frames, until it says there is no more. */
    ask(step: FrameStep): void {
      steps.add(step);
      if (!frame) frame = requestAnimationFrame(() => (frame = requestAnimationFrame(run)));
    },
    stop(): void {
      steps.clear();
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}

export type FrameBudget = ReturnType<typeof frameBudget>;
