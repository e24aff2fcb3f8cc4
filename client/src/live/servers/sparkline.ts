/**
 * SVG path of a sparkline: one segment per run of samples, broken where a sample is null (a failed
 * probe), scaled so the highest sample touches the top. Returns '' with nothing to draw.
 */
export function sparklinePath(samples: readonly (number | null)[], width: number, height: number, capacity: number): string {
  const max = Math.max(1, ...samples.filter((v): v is number => v !== null));
  const step = width / Math.max(1, capacity - 1);
  const offset = capacity - samples.length;
  let path = '';
  let drawing = false;
  samples.forEach((value, i) => {
    if (value === null) {
      drawing = false;
      return;
    }
    const x = ((offset + i) * step).toFixed(1);
    const y = (height - 1 - (value / max) * (height - 2)).toFixed(1);
    path += `${drawing ? 'L' : 'M'}${x} ${y}`;
    drawing = true;
  });
  return path;
}
