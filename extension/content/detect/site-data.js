// What the generic detector cannot read from a page and must be told, per host.
//
// `points`: what one point is worth on a site that prices tasks in points. Without a row here a
// listing priced in points is skipped: a worker's threshold is money, and a guessed rate would
// colour tasks with a figure nobody measured. A row names its source, e.g.
//   'www.example-panel.fr': { points: { units: ['pts'], value: { amount: '0.001', currency: 'EUR' },
//                             source: 'https://www.example-panel.fr/aide/points (1 000 pts = 1 €), 2026-10' } },
// `units` adds the site's own word for its points to "points"/"pts"/"pt".
export const GENERIC_SITES = Object.freeze({});
