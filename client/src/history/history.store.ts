import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { AvailabilityReport, IncidentList } from '@hqwatch/shared';
import { fetchAvailability, fetchIncidents } from '../api/endpoints.ts';
import { asHistory, useRequest } from '../api/request.ts';

/** Days of incidents behind the window-duration chart. */
export const INCIDENT_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * History for the charts, from the REST API: recent incidents (their windows) and availability per
 * site over a range. Payloads are held in shallow refs; charts read them, never deep-watch them.
 * A request superseded by a newer one is aborted and never lands.
 */
export const useHistoryStore = defineStore('history', () => {
  const incidents = useRequest<IncidentList>();
  const availability = useRequest<AvailabilityReport>();
  const availabilityRangeMs = shallowRef(7 * DAY_MS);
  /** Whether time inside planned maintenance windows counts (`include`) or is left out. */
  const availabilityPlanned = shallowRef<'include' | 'exclude'>('include');

  function loadIncidents(now = Date.now()): Promise<void> {
    const range = { from: new Date(now - INCIDENT_DAYS * DAY_MS).toISOString(), to: new Date(now).toISOString() };
    return incidents.load(async (signal) => asHistory(await fetchIncidents(range, signal)));
  }

  function loadAvailability(rangeMs = availabilityRangeMs.value, now = Date.now(), planned = availabilityPlanned.value): Promise<void> {
    availabilityRangeMs.value = rangeMs;
    availabilityPlanned.value = planned;
    return availability.load(async (signal) => asHistory(await fetchAvailability(now - rangeMs, now, signal, planned)));
  }

  return {
    incidents: incidents.state,
    availability: availability.state,
    availabilityRangeMs,
    availabilityPlanned,
    loadIncidents,
    loadAvailability,
  };
});
