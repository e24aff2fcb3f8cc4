import { createRouter, createWebHistory } from 'vue-router';
import LiveView from './views/LiveView.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Full-screen, dark, no interaction: the NOC wall. */
    wall?: boolean;
    title?: string;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'live', component: LiveView, meta: { title: 'Live' } },
    { path: '/wall', name: 'wall', component: () => import('./views/WallView.vue'), meta: { wall: true, title: 'Wall' } },
    { path: '/sites', name: 'sites', component: () => import('./views/SitesView.vue'), meta: { title: 'Sites' } },
    { path: '/incidents', name: 'incidents', component: () => import('./views/IncidentsView.vue'), meta: { title: 'Incidents' } },
    { path: '/incidents/:id', name: 'incident', component: () => import('./views/IncidentView.vue'), meta: { title: 'Incident' } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · hqwatch` : 'hqwatch';
});
