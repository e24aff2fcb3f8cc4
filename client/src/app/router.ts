import { createRouter, createWebHistory } from 'vue-router';
import LiveView from '../live/LiveView.vue';

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
    { path: '/wall', name: 'wall', component: () => import('../wall/WallView.vue'), meta: { wall: true, title: 'Wall' } },
    { path: '/sites', name: 'sites', component: () => import('../sites/SitesView.vue'), meta: { title: 'Sites' } },
    { path: '/incidents', name: 'incidents', component: () => import('../incidents/IncidentsView.vue'), meta: { title: 'Incidents' } },
    { path: '/incidents/:id', name: 'incident', component: () => import('../incidents/IncidentView.vue'), meta: { title: 'Incident' } },
    { path: '/login', name: 'login', component: () => import('../auth/LoginView.vue'), meta: { title: 'Sign in' } },
    { path: '/admin', name: 'admin', component: () => import('../auth/AdminView.vue'), meta: { title: 'Admin' } },
    {
      path: '/maintenance',
      name: 'maintenance',
      component: () => import('../maintenance/MaintenanceView.vue'),
      meta: { title: 'Maintenance' },
    },
    { path: '/notify', name: 'notify', component: () => import('../notify/NotifyView.vue'), meta: { title: 'Notifications' } },
    { path: '/help/api', name: 'api-reference', component: () => import('../help/ApiReferenceView.vue'), meta: { title: 'API reference' } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · hqwatch` : 'hqwatch';
});
