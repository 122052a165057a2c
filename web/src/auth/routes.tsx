import type { Feature } from '../app/feature.ts';
import { authMessages } from './messages.ts';

/** Sign-in: no route of its own, the app shows it to a visitor without a session (App.tsx). */
export const auth: Feature<(typeof authMessages)['en']> = { name: 'auth', messages: authMessages };
