"""Regular expressions written by users (policy ``pattern``, ``not_pattern``, ``where:``).

Every such regex is compiled here and nowhere else (tests/test_output_walk.py checks
it). RE2 runs in time linear in the input, whatever the pattern: ``(a|aa)*$`` on a
long value cannot stall a run the way a backtracking engine can. RE2 is imported
only when a configuration holds a regex, so the plain ``check`` path never pays for
it. What RE2 does not support (back-references, look-around, possessive
quantifiers, ``\\Z``) is a configuration error naming what to change; see
docs/policies.md.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

# Longest pattern accepted, and the largest count in ``{n}`` / ``{n,m}`` (RE2's own
# limit; a larger count RE2 would silently read as literal text).
MAX_PATTERN = 1000
MAX_REPEAT = 1000
# Memory one compiled pattern may use (RE2 fails to compile beyond it).
MAX_MEMORY = 8 << 20

# Rewrites worth suggesting when RE2 refuses a construct Python's ``re`` knows.
_HINTS = (
    ("(?=", "look-ahead is not supported"),
    ("(?!", "look-ahead is not supported"),
    ("(?<=", "look-behind is not supported"),
    ("(?<!", "look-behind is not supported"),
    ("\\Z", "write \\z for the end of the text"),
    ("(?P=", "back-references are not supported"),
)
_BACKREF = re.compile(r"\\[1-9]")
_COUNT = re.compile(r"\{(\d+)(?:,(\d*))?\}")


class RegexError(ValueError):
    """A user regex that cannot be compiled safely; the message says why."""


class UserRegex(Protocol):
    def search(self, text: str) -> Any: ...


def compile_user(pattern: str) -> UserRegex:
    """``pattern`` compiled by RE2, or :class:`RegexError` with one line saying why."""
    if len(pattern) > MAX_PATTERN:
        raise RegexError(f"is longer than {MAX_PATTERN} characters")
    count = _largest_count(pattern)
    if count is not None and count > MAX_REPEAT:
        raise RegexError(f"repeats {count} times; the largest repetition count is {MAX_REPEAT}")
    import re2  # type: ignore[import-untyped,import-not-found,unused-ignore]

    options = re2.Options()
    options.log_errors = False
    options.max_mem = MAX_MEMORY
    try:
        return re2.compile(pattern, options)  # type: ignore[no-any-return]
    except re2.error as exc:
        raise RegexError(f"is not a valid regular expression: {_reason(pattern, exc)}") from None
    except (OverflowError, ValueError, TypeError, MemoryError) as exc:
        raise RegexError(f"is not a valid regular expression: {exc}") from None


def _reason(pattern: str, exc: Exception) -> str:
    raw = exc.args[0] if exc.args else str(exc)
    reason = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    for construct, hint in _HINTS:
        if construct in pattern:
            return f"{reason} ({hint}: the regex engine is RE2, see docs/policies.md)"
    if _BACKREF.search(pattern):
        return f"{reason} (back-references are not supported: the regex engine is RE2)"
    return reason


def _largest_count(pattern: str) -> int | None:
    """The largest ``{n}``/``{n,m}`` count outside character classes and escapes."""
    largest: int | None = None
    index, length, in_class = 0, len(pattern), False
    while index < length:
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # A ']' right after '[' or '[^' is a literal member of the class.
            if pattern[index + 1 : index + 2] == "^":
                index += 1
            if pattern[index + 1 : index + 2] == "]":
                index += 1
        elif char == "{":
            match = _COUNT.match(pattern, index)
            if match:
                numbers = [int(n) for n in match.groups() if n]
                largest = max([*numbers, largest or 0])
        index += 1
    return largest
