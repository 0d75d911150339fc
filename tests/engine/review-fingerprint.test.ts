import { describe, expect, it } from 'vitest';
import { diffBrand } from '../../src/engine/diff/index.js';
import {
  reviewDifferences,
  reviewedResources,
  reviewFingerprint,
} from '../../src/engine/review-fingerprint.js';
import { desiredState, dTemplate, remoteState, rTemplate } from './fixtures.js';

/** Two templates in Klaviyo; the code changes `welcome` (the reviewed change) and keeps `winback` as it is. */
function reviewedPlan(remoteParts: { welcomeUpdated?: string; winbackUpdated?: string } = {}) {
  const welcome = rTemplate('welcome', 'T1', '<p>old</p>');
  const winback = rTemplate('winback', 'T2', '<p>come back</p>');
  if (remoteParts.welcomeUpdated) welcome.updated = remoteParts.welcomeUpdated;
  if (remoteParts.winbackUpdated) winback.updated = remoteParts.winbackUpdated;
  return diffBrand(
    desiredState({
      templates: [dTemplate('welcome', '<p>new</p>'), dTemplate('winback', '<p>come back</p>')],
    }),
    remoteState({ templates: [welcome, winback] }),
  );
}

const review = (plan: ReturnType<typeof reviewedPlan>) => ({
  fingerprint: reviewFingerprint(plan),
  resources: reviewedResources(plan),
});

describe('the review fingerprint', () => {
  it('is unchanged when an object the plan does not write moved in Klaviyo (another pull request applied)', () => {
    const reviewed = reviewedPlan();
    const later = reviewedPlan({ winbackUpdated: '2026-02-01T00:00:00+00:00' });
    // The whole-plan fingerprint sees every stamp; the review fingerprint only the written objects'.
    expect(later.fingerprint).not.toBe(reviewed.fingerprint);
    expect(reviewFingerprint(later)).toBe(reviewFingerprint(reviewed));
  });

  it('changes when an object the plan writes was edited in Klaviyo since the review, and names it', () => {
    const reviewed = reviewedPlan();
    const later = reviewedPlan({ welcomeUpdated: '2026-02-01T00:00:00+00:00' });
    expect(reviewFingerprint(later)).not.toBe(reviewFingerprint(reviewed));
    expect(reviewDifferences(review(reviewed), later)).toEqual([
      {
        type: 'changed',
        kind: 'template',
        key: 'welcome',
        reason:
          'differs from the reviewed plan: the code changed, or it was edited in Klaviyo since the review',
      },
    ]);
    expect(reviewDifferences(review(reviewed), reviewed)).toEqual([]);
  });

  it('changes when the plan would write an object the review did not show', () => {
    const reviewed = reviewedPlan();
    // After the review, the code also changes winback.
    const widened = diffBrand(
      desiredState({ templates: [dTemplate('welcome', '<p>new</p>'), dTemplate('winback', '<p>v2</p>')] }),
      remoteState({
        templates: [rTemplate('welcome', 'T1', '<p>old</p>'), rTemplate('winback', 'T2', '<p>come back</p>')],
      }),
    );
    expect(reviewFingerprint(widened)).not.toBe(reviewFingerprint(reviewed));
    expect(
      reviewDifferences(review(reviewed), widened).map((d) => `${d.kind}:${d.key}: ${d.reason}`),
    ).toEqual(['template:winback: would now be written, and was not in the reviewed plan']);
  });
});
