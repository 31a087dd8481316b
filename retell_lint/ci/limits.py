"""GitHub's documented limits that reports written for GitHub must stay under.

- Annotations: "GitHub Actions ... 10 warning annotations and 10 error annotations per
  step, and 50 annotations per job" (docs.github.com, "Workflow commands for GitHub
  Actions" / the check-runs API; github.com/orgs/community/discussions/68471). More are
  dropped silently, so ``--format github`` chooses which ones are shown.
- Pull-request comments: the REST API rejects a body over 65,536 characters ("Body is
  too long (maximum is 65536 characters)", docs.github.com/rest/issues/comments); we stay
  at 65,535 or below.
- SARIF: "Results per run: 25,000" and uploads of at most 10 MB (gzip-compressed;
  docs.github.com, "SARIF support for code scanning" and "SARIF file is too large").
  The writer keeps the uncompressed file under 10 MB, which is stricter.
- Job summaries: ``$GITHUB_STEP_SUMMARY`` holds at most 1 MiB per step ("supports
  content up to a size of 1024k"; "Adding a Markdown summary").
"""

from __future__ import annotations

ANNOTATIONS_PER_KIND = 10
COMMENT_MAX_CHARS = 65_535
# Room a posted comment adds around a Markdown report (its hidden marker and footer).
COMMENT_RESERVE = 512
MARKDOWN_MAX_CHARS = COMMENT_MAX_CHARS - COMMENT_RESERVE
SARIF_MAX_RESULTS = 25_000
SARIF_MAX_BYTES = 10_000_000
SUMMARY_MAX_BYTES = 1024 * 1024
