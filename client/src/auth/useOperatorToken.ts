import { computed, ref } from 'vue';
import { readOperatorToken, writeOperatorToken } from '../incidents/operator-token.ts';
import { useAuthStore } from './auth.store.ts';

/**
 * How a page acts as an operator (notes, maintenance windows, test sends): the session of someone
 * signed in as an operator or admin, whose cookie goes with the request; otherwise an operator
 * token typed on the page and kept in this tab (servers where anonymous viewers read and scripts
 * hold tokens).
 */
export function useOperatorToken() {
  const auth = useAuthStore();
  const token = ref(readOperatorToken());
  const signedIn = computed(() => auth.principal?.kind === 'user' && auth.can('operator'));
  /** Whether an operator action can be sent now. */
  const ready = computed(() => signedIn.value || token.value !== '');
  /** The token to send with an action: '' when the session is enough; a typed one is remembered in the tab. */
  function credential(): string {
    if (signedIn.value) return '';
    writeOperatorToken(token.value);
    return token.value;
  }
  function forget(): void {
    token.value = '';
    writeOperatorToken('');
  }
  return { token, signedIn, ready, credential, forget, name: computed(() => auth.principal?.name ?? null) };
}
