import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { BACKEND_KEY } from './backend/backend.ts';
import { selectBackend } from './backend/select-backend.ts';
import './styles/theme.css';

const app = createApp(App);
app.provide(BACKEND_KEY, selectBackend(window));
app.use(createPinia());
app.mount('#app');
