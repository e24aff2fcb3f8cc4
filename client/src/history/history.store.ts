import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { AvailabilityReport, IncidentList } from '@hqwatch/shared';
import { fetchJson, isAvailabilityReport, isIncidentList, rangeQuery, type Fetched } from './api.ts';

export type Loaded<T> = { status: 'idle' } | { status: 'loading'; previous: T | null } | Fetched<T>;

/** Days of incidents behind the window-duration chart. */
export const INCIDENT_DAYS = 30;
const DAY_MS = 86_400_000;

function dataOf<T>(loaded: Loaded<T>): T | null {
  if (loaded.status === 'ready') return loaded.data;
  if (loaded.status === 'loading') return loaded.previous;
  return null;
}

/**
 * History for the charts, from the REST API: recent incidents (their windows) and availability per
 * site over a range. Payloads are held in shallow refs; charts read them, never deep-watch them.
 * A request superseded by a newer one is aborted and never lands.
 */
export const useHistoryStore = defineStore('history', () => {
  const incidents = shallowRef<Loaded<IncidentList>>({ status: 'idle' });
  const availability = shallowRef<Loaded<AvailabilityReport>>({ status: 'idle' });
  const availabilityRangeMs = shallowRef(7 * DAY_MS);
  let incidentsRequest: AbortController | null = null;
  let availabilityRequest: AbortController | null = null;

  async function loadIncidents(now = Date.now()): Promise<void> {
    incidentsRequest?.abort();
    const request = (incidentsRequest = new AbortController());
    incidents.value = { status: 'loading', previous: dataOf(incidents.value) };
    try {
      const result = await fetchJson(`/api/incidents?${rangeQuery(now - INCIDENT_DAYS * DAY_MS, now)}`, isIncidentList, request.signal);
      if (request === incidentsRequest) incidents.value = result;
    } catch {
      // Aborted by a newer request, which will land instead.
    }
  }

  async function loadAvailability(rangeMs = availabilityRangeMs.value, now = Date.now()): Promise<void> {
    availabilityRequest?.abort();
    const request = (availabilityRequest = new AbortController());
    availabilityRangeMs.value = rangeMs;
    availability.value = { status: 'loading', previous: dataOf(availability.value) };
    try {
      const result = await fetchJson(`/api/availability?${rangeQuery(now - rangeMs, now)}`, isAvailabilityReport, request.signal);
      if (request === availabilityRequest) availability.value = result;
    } catch {
      // Aborted by a newer request.
    }
  }

  return { incidents, availability, availabilityRangeMs, loadIncidents, loadAvailability };
});
