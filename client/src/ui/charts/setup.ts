import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { expectedBandPlugin } from './band-plugin.ts';

let registered = false;

/** Registers only what the charts use, once, so the bundle carries no unused chart types. */
export function registerCharts(): typeof Chart {
  if (!registered) {
    Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend, expectedBandPlugin);
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    // chart.js's own responsiveness watches every DOM mutation of the page to notice its canvas
    // being removed, which a 500-row matrix re-sorting makes costly; useChart watches the box instead.
    Chart.defaults.responsive = false;
    registered = true;
  }
  return Chart;
}

export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  bar: string;
  bar2: string;
  window: string;
  overrun: string;
  /** HQ outages: no expected length, so never against the band. */
  outage: string;
  band: string;
  ok: string;
  warn: string;
  bad: string;
}

/** Chart colours from the current theme's CSS variables. */
export function chartColors(): ChartColors {
  const style = getComputedStyle(document.documentElement);
  const get = (name: string) => style.getPropertyValue(name).trim();
  return {
    text: get('--text'),
    muted: get('--text-muted'),
    grid: get('--chart-grid'),
    bar: get('--chart-bar'),
    bar2: get('--chart-bar-2'),
    window: get('--chart-window'),
    overrun: get('--chart-overrun'),
    outage: get('--chart-outage'),
    band: get('--chart-band'),
    ok: get('--tone-ok-fg'),
    warn: get('--tone-warn-fg'),
    bad: get('--tone-bad-fg'),
  };
}
