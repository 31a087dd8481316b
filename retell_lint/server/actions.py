"""Code actions: the quick fix of each fixable finding, "suppress RLxxx on this line",
and ``source.fixAll.retell-lint``. Every edit comes from the fix engine
(:mod:`retell_lint.fix`), the one ``check --fix`` uses: the editor gets the same bytes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from retell_lint.server.diagnostics import Positions, to_diagnostic

if TYPE_CHECKING:
    from retell_lint.config import Config
    from retell_lint.findings import Finding
    from retell_lint.fix.edits import Fix, Skipped

FIX_ALL_KIND = "source.fixAll.retell-lint"
REASON_PLACEHOLDER = "<reason>"
# An end-of-line suppression already on the line: the new rule joins its list.
LINE_DIRECTIVE = re.compile(r"#\s*retell-lint:\s*ignore\s*\[(?P<ids>[^\]]*)\]")


class FileActions:
    """The code actions of one document at one version (fixes worked out once)."""

    def __init__(
        self,
        uri: str,
        name: str,
        text: str,
        findings: Sequence[Finding],
        encoding: str,
        unsuppressible: frozenset[str],
    ) -> None:
        self.uri = uri
        self.name = name
        self.text = text
        self.findings = list(findings)
        self.positions = Positions(text, encoding)
        self.unsuppressible = unsuppressible
        self._fixes: list[Fix | Skipped | None] | None = None

    def fixes(self) -> list[Fix | Skipped | None]:
        if self._fixes is None:
            from retell_lint.fix.registry import file_fixes

            self._fixes = file_fixes(self.text, self.findings)
        return self._fixes

    def fixable(self) -> bool:
        """Whether any finding's rule has a fix (else no fix is worked out at all)."""
        fixers = _fixers()
        return any(finding.rule in fixers for finding in self.findings)

    def _edit(self, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
        return types.WorkspaceEdit(changes={self.uri: edits})

    def in_range(self, wanted: types.Range) -> list[int]:
        """Indexes of the findings whose range meets the requested one."""
        lines = self.positions
        chosen = []
        for index, finding in enumerate(self.findings):
            got = lines.finding_range(finding)
            before = (got.end.line, got.end.character) < (wanted.start.line, wanted.start.character)
            after = (got.start.line, got.start.character) > (wanted.end.line, wanted.end.character)
            if not before and not after:
                chosen.append(index)
        return chosen

    def quick_fixes(self, indexes: Sequence[int]) -> list[types.CodeAction]:
        from retell_lint.fix.edits import Fix

        actions: list[types.CodeAction] = []
        if not any(self.findings[i].rule in _fixers() for i in indexes):
            return actions
        fixes = self.fixes()
        for index in indexes:
            fix = fixes[index]
            if not isinstance(fix, Fix) or not fix.edits:
                continue
            finding = self.findings[index]
            unsafe = fix.applicability == "unsafe"
            title = f"Fix {finding.rule}: {fix.description}" + (" (unsafe)" if unsafe else "")
            edits = [
                types.TextEdit(
                    range=self.positions.range_of(edit.start, edit.end), new_text=edit.text
                )
                for edit in fix.edits
            ]
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[to_diagnostic(finding, self.positions, index)],
                    is_preferred=not unsafe,
                    edit=self._edit(edits),
                )
            )
        return actions

    def suppressions(self, indexes: Sequence[int]) -> list[types.CodeAction]:
        actions: list[types.CodeAction] = []
        seen: set[tuple[str, int]] = set()
        for index in indexes:
            finding = self.findings[index]
            if finding.rule in self.unsuppressible or (finding.rule, finding.line) in seen:
                continue
            seen.add((finding.rule, finding.line))
            edit = self.suppress_edit(finding)
            if edit is None:
                continue
            actions.append(
                types.CodeAction(
                    title=f"Suppress {finding.rule} on this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[to_diagnostic(finding, self.positions, index)],
                    edit=self._edit([edit]),
                )
            )
        return actions

    def suppress_edit(self, finding: Finding) -> types.TextEdit | None:
        """``# retell-lint: ignore[RLxxx] <reason>`` at the end of the finding's line, or
        on a line of its own above it when a comment there could end a value."""
        lines = self.positions.yaml
        start = lines.offset(finding.line, 1)
        line_end = lines.content_end(start)
        line = self.text[start:line_end]
        existing = LINE_DIRECTIVE.search(line)
        if existing is not None:
            at = start + existing.end("ids")
            ids = existing.group("ids").strip()
            insert = f", {finding.rule}" if ids else finding.rule
            return types.TextEdit(range=self.positions.range_of(at, at), new_text=insert)
        directive = f"# retell-lint: ignore[{finding.rule}] {REASON_PLACEHOLDER}"
        if finding.end_line == finding.line and not _open_quote(line):
            at = start + len(line.rstrip(" \t"))
            return types.TextEdit(range=self.positions.range_of(at, at), new_text=f"  {directive}")
        indent = line[: len(line) - len(line.lstrip(" "))]
        return types.TextEdit(
            range=self.positions.range_of(start, start),
            new_text=f"{indent}{directive}{lines.newline}",
        )

    def fix_all(self, config: Config) -> types.CodeAction | None:
        """The safe fixes of the whole file, as ``check --fix`` applies them."""
        from retell_lint.fix.apply import fix_text

        if not any(finding.rule in _fixers() for finding in self.findings):
            return None
        outcome = fix_text(self.name, self.text, self.findings, config, unsafe=False)
        if not outcome.changed:
            return None
        start, old_end, new_end = _changed_span(self.text, outcome.text)
        edit = types.TextEdit(
            range=self.positions.range_of(start, old_end), new_text=outcome.text[start:new_end]
        )
        return types.CodeAction(
            title=f"Fix all retell-lint findings ({outcome.fixed} fixed)",
            kind=FIX_ALL_KIND,
            edit=self._edit([edit]),
        )


def _fixers() -> frozenset[str]:
    from retell_lint.fix.registry import FIXERS

    return frozenset(FIXERS)


def _open_quote(line: str) -> bool:
    """Whether a quoted scalar is still open at the end of the line (a comment appended
    there would be part of the text)."""
    quote: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        if quote is None:
            if char == "#" and (index == 0 or line[index - 1] in " \t"):
                return False
            if char in "'\"" and (index == 0 or line[index - 1] in " \t[{,:-"):
                quote = char
        elif quote == '"' and char == "\\":
            index += 1  # an escaped character
        elif char == quote:
            quote = None
        index += 1
    return quote is not None


def _changed_span(old: str, new: str) -> tuple[int, int, int]:
    """The one region that differs: its start, its end in ``old`` and in ``new``."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    # Never split a \r\n pair (an editor position cannot sit between them).
    if start and old[start - 1] == "\r":
        start -= 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    if end_old < len(old) and old[end_old] == "\n" and end_old and old[end_old - 1] == "\r":
        end_old += 1
        end_new += 1
    return start, end_old, end_new
