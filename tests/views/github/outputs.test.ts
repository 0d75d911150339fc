import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/commands/errors.js';
import { driftFromPlan } from '../../../src/engine/drift.js';
import { actionOutputs } from '../../../src/views/github/outputs.js';
import {
  emptyPlan,
  finding,
  plannedReview,
  samplePlan,
  skippedReview,
  validation,
} from './review-fixtures.js';

describe('actionOutputs', () => {
  it('gives a plan’s counts and fingerprint, and every key even without a plan', () => {
    const plan = samplePlan();
    expect(
      actionOutputs({
        command: 'plan',
        plan,
        target: 't',
        written: { json: 'plan.json' },
        detailedExitcode: false,
      }),
    ).toEqual({
      'has-changes': 'true',
      'to-create': '1',
      'to-update': '2',
      'to-replace': '1',
      'to-delete': '1',
      'plan-fingerprint': plan.fingerprint,
      drift: 'false',
      'failure-reason': '',
    });
    expect(actionOutputs(validation())).toMatchObject({
      'has-changes': 'false',
      'to-create': '0',
      'plan-fingerprint': '',
    });
  });

  it('names the failure: a command error’s reason, or validation-failed for files with errors', () => {
    const error = new CommandError('refused', 'changed', { reason: 'plan-changed' });
    expect(actionOutputs(error)['failure-reason']).toBe('plan-changed');
    expect(actionOutputs(new CommandError('usage', 'no such brand'))['failure-reason']).toBe('');
    const invalid = [finding('marketing/brands/trailhead/brand.yaml', 1, 'unknown-key', 'x', 'error')];
    expect(actionOutputs(validation(invalid))['failure-reason']).toBe('validation-failed');
    expect(
      actionOutputs(skippedReview('validation-failed', { diagnostics: invalid }))['failure-reason'],
    ).toBe('validation-failed');
    expect(actionOutputs(plannedReview(emptyPlan()))).toMatchObject({
      'has-changes': 'false',
      'failure-reason': '',
    });
  });

  it('says whether drift was found', () => {
    const plan = samplePlan();
    expect(
      actionOutputs({ command: 'drift', target: 't', report: driftFromPlan(plan), plan, failOnDrift: false })
        .drift,
    ).toBe('true');
    const clean = emptyPlan();
    expect(
      actionOutputs({
        command: 'drift',
        target: 't',
        report: driftFromPlan(clean),
        plan: clean,
        failOnDrift: false,
      }).drift,
    ).toBe('false');
  });

  it('adds what the reporter knows', () => {
    expect(
      actionOutputs(validation(), {
        planJson: '{}',
        commentId: 42,
        previewsDir: 'output/previews',
        driftIssueNumber: 7,
      }),
    ).toMatchObject({
      'plan-json': '{}',
      'comment-id': '42',
      'previews-dir': 'output/previews',
      'drift-issue-number': '7',
    });
  });
});
