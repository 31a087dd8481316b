"""The field table: what README says about it stays true."""

from __future__ import annotations

import re
from pathlib import Path

from retell_lint.fields import AGENT_FIELDS, NUMBER_FIELDS, SIP_FIELDS

README = Path(__file__).resolve().parents[1] / "README.md"
# README's heading of each kind's list -> the kinds it lists.
HEADINGS = {
    "Managed": {"managed", "secret"},
    "Create/import-time": {"create_only"},
    "Computed": {"computed"},
    "Legacy": {"legacy"},
    "API parameter names": {"api_alias"},
}


def readme_lists() -> dict[str, set[str]]:
    """The field names of each bullet ``- **Kind** ...`` in README's Config files section."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Config files") :]
    section = section[: section.index("\n## ", 1)]
    bullets = re.findall(r"^- \*\*(.+?)\*\*(.*?)(?=^- \*\*|^\S|\Z)", section, re.M | re.S)
    return {heading: set(re.findall(r"`([a-z0-9_]+)`", body)) for heading, body in bullets}


def test_readme_lists_every_field_by_kind() -> None:
    lists = readme_lists()
    assert set(lists) == set(HEADINGS)
    for heading, kinds in HEADINGS.items():
        expected = {name for name, spec in NUMBER_FIELDS.items() if spec.kind in kinds}
        if heading == "Managed":
            # The parts of an agent entry and of the SIP trunk are listed with their field.
            expected |= set(AGENT_FIELDS) | set(SIP_FIELDS)
        assert lists[heading] == expected, heading


def test_readme_lists_are_read() -> None:
    # The parser above finds what it should: a name in the wrong list is caught.
    lists = readme_lists()
    assert "number_provider" in lists["Create/import-time"]
    assert "number_provider" not in lists["Managed"]
    assert "sip_trunk_auth_password" in lists["API parameter names"]
