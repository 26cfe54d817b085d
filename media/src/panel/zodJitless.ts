import { config } from 'zod';

// Imported first by the view's entry: zod builds its schemas when the protocol module loads, and
// unless told not to it probes `new Function` then, which the panel's CSP (no eval) reports as a violation.
config({ jitless: true });
