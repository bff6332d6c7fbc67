// Prolific as the browser tests serve it: studies in the participant API's shape (see
// tests/fixtures/sites/prolific/README.md for the sources of the field names), the app page
// at its real URLs, and timings seeded through the service's public API.
import { readFile } from 'node:fs/promises';
import { serve } from './browser.mjs';

const APP = await readFile(new URL('../fixtures/prolific-app.html', import.meta.url), 'utf8');
/** The researcher's survey site a started study opens (tests route it to fixtures/survey.html). */
export const SURVEY = 'https://survey.example.org';

export function study(id, { name, pence, minutes, researcher = { id: '5f1e0c0a0b0c0d0e0f101112', name: 'Dr Example' }, maximum = minutes * 4 }) {
  return {
    id,
    name,
    study_reward: { amount: pence, currency: 'GBP' },
    researcher,
    estimated_completion_time: minutes,
    maximum_allowed_time: maximum,
    total_available_places: 200,
    places_taken: 20,
  };
}

/** Routes app.prolific.com to the fixture app and the participant API to `studies`. */
export async function serveProlific(context, studies) {
  await serve(context, 'https://app.prolific.com/**', APP);
  const json = (route, body) => route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': 'https://app.prolific.com' }, body: JSON.stringify(body) });
  await context.route('https://internal-api.prolific.com/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    const one = /\/participant\/studies\/([0-9a-f]{24})\/$/.exec(path);
    if (one) return json(route, studies.find((item) => item.id === one[1]));
    if (path.endsWith('/participant/studies/')) return json(route, { results: studies, meta: { count: studies.length } });
    if (path.endsWith('/submissions/reserve/')) {
      const studyId = JSON.parse(route.request().postData()).study_id;
      // Like Prolific's, the study's address carries the participant's id: it must never be read.
      const studyUrl = `${SURVEY}/run?PROLIFIC_PID=60aaaaaaaaaaaaaaaaaaaaaa&STUDY_ID=${studyId}&SESSION_ID=65b0c0ffee0000000000beef`;
      return json(route, { id: '65b0c0ffee0000000000beef', status: 'RESERVED', participant_id: '60aaaaaaaaaaaaaaaaaaaaaa', study_id: studyId, study_url: studyUrl });
    }
    return route.fulfill({ status: 404, body: '' });
  });
}

/** Timings of `task` by as many distinct installs as `activeSeconds` has entries, all submitted. */
export async function seedTimings(service, { task_id, reward, activeSeconds, requester_id }) {
  const ended = Date.now() - 3600_000;
  for (const [index, seconds] of activeSeconds.entries()) {
    const token = await service.install();
    const timing = {
      idempotency_key: `seed-${task_id}-${index}`,
      platform: 'prolific',
      task_id,
      reward,
      active_s: seconds,
      wall_s: seconds + 30,
      outcome: 'submitted',
      started_at: new Date(ended - (seconds + 30) * 1000).toISOString(),
      ended_at: new Date(ended).toISOString(),
    };
    if (requester_id) timing.requester_id = requester_id;
    const answer = await service.call('/v1/timings', { token, body: { timings: [timing] } });
    if (answer.status !== 200 && answer.status !== 201 && answer.status !== 202) throw new Error(`seeding failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  const listing = { platform: 'prolific', task_id, reward, ...(requester_id ? { requester_id } : {}) };
  await service.folded(await service.install(), listing, activeSeconds.length);
}
