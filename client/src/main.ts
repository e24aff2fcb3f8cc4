import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './app/App.vue';
import { router } from './app/router.ts';
import './ui/styles/theme.css';
import './ui/styles/base.css';

createApp(App).use(createPinia()).use(router).mount('#app');
