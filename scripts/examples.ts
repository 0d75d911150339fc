/**
 * Regenerates docs/examples/: the pull request comment and the job summary the Action writes for a review of
 * the example content, so the README can show a team what they will get. Runs the review command itself on a
 * copy of marketing/ against the embedded sandbox (no account), then renders with the GitHub views.
 *
 *   npm run examples
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runReview } from '../src/commands/review.js';
import { renderJobSummary, renderReviewComment } from '../src/views/github/index.js';

const repo = resolve(import.meta.dirname, '..');
const BRAND = 'trailhead';
const RUN_URL = 'https://github.com/acme/marketing/actions/runs/123456789';
const HEAD = '3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';

async function main(): Promise<void> {
  const cwd = await mkdtemp(join(tmpdir(), 'kg-examples-'));
  try {
    await cp(join(repo, 'marketing'), join(cwd, 'marketing'), { recursive: true });
    const review = await runReview(
      { dir: 'marketing', brand: BRAND, target: 'sandbox' },
      { cwd, env: {}, progress: () => {} },
    );
    const comment = renderReviewComment(review, BRAND, {
      headSha: HEAD,
      runUrl: RUN_URL,
      previewsArtifact: `klaviyo-previews-${BRAND}`,
    });
    const summary = renderJobSummary(review, {
      runUrl: RUN_URL,
      previewsArtifact: `klaviyo-previews-${BRAND}`,
    });
    const out = join(repo, 'docs/examples');
    await writeFile(join(out, 'comment.md'), comment.body);
    await writeFile(join(out, 'summary.md'), summary.markdown);
    console.log(`wrote docs/examples/comment.md (${comment.body.length} characters) and summary.md`);
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

await main();
