// Local timing records as the worker keeps them, for tests.
const START = Date.UTC(2026, 10, 20, 8, 0, 0);

export function endedRecord(changes = {}) {
  return {
    id: 'r1',
    idempotency_key: `key-${changes.id ?? 'r1'}-0000`,
    platform: 'prolific',
    task_id: '64a1a1a1a1a1a1a1a1a1a1a1',
    requester_id: '5f1e0c0a0b0c0d0e0f101112',
    reward: { amount: '1.50', currency: 'GBP' },
    advertised_duration_s: 600,
    time_allotted_s: 2400,
    title: 'Memory game',
    assignment_hash: 'a'.repeat(64),
    tab_id: 7,
    started_at: START,
    last_seen: START + 700_000,
    ended_at: START + 720_000,
    active_s: 655.4,
    paused: false,
    state: 'ended',
    outcome: 'submitted',
    outcome_source: 'worker',
    corrected: false,
    review_until: START + 720_000,
    synced_at: null,
    error: null,
    outcomes: [],
    ...changes,
  };
}
