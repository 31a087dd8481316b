"""The options of one ``check`` run, built once by the command line."""

from __future__ import annotations

from typing import Any, NamedTuple

# The report formats of ``check`` (its click option and the plain command line's).
CHECK_FORMATS = ("text", "json", "concise", "github", "sarif", "junit")


class CheckOptions(NamedTuple):
    """Everything ``check`` was asked to do (immutable: it travels through the layers)."""

    paths: tuple[str, ...] = ()
    output_format: str | None = None
    output: str | None = None
    config_file: str | None = None
    fail_level: str | None = None
    exit_zero: bool = False
    stdin_filename: str | None = None
    colour: str = "auto"
    online: bool = False
    baseline: str | None = None
    write_baseline: str | None = None
    fix: bool = False
    show_diff: bool = False
    unsafe_fixes: bool = False
    force_exclude: bool = False
    # The result cache: off with --no-cache; its folder from --cache-dir,
    # RETELL_LINT_CACHE_DIR or the project root's .retell-lint-cache/.
    cache: bool = True
    cache_dir: str | None = None
    # Worker processes for a cold run on many files (None: the usable cores).
    jobs: int | None = None
    quiet: bool = False
    statistics: bool = False
    # --select, --ignore, --isolated... (retell_lint.settings.Overrides), None: none.
    overrides: Any = None
    # --env NAME: the one environment (from 'environments' in the configuration) to
    # lint; None: every environment.
    env: str | None = None
