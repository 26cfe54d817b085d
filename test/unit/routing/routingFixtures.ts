import type { RoutableTicket } from '../../../src/core/routing/routableTicket';

export function ticket(partial: Partial<RoutableTicket>): RoutableTicket {
  return { id: 'T1', title: 'Do a thing', body: '', labels: [], files: [], dependsOn: [], ...partial };
}

export const words = (n: number): string => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
