"""The one place user-controlled text is made safe to print: escaped and redacted.

Escaping, per medium:
- terminal text and CI logs: :func:`safe_text` (control characters, line breaks,
  bidirectional and zero-width characters, lone surrogates shown as escapes);
- file names: :func:`display_name`; in diff headers :func:`diff_name`;
- GitHub workflow commands: :func:`workflow_data`, :func:`workflow_property`;
- JSON and SARIF are structural (``json.dumps``), JUnit escapes XML itself.

Redaction:
- secrets written in a file (the value of any secret-named key such as
  ``auth_password`` or ``sip_trunk_auth_password``, at any depth, in any YAML
  style) are found from the YAML event stream, so a folded or quoted value is
  found whole; :func:`mask_secrets` hides them wherever the file's text is echoed
  (snippets, ``--diff``), :func:`redact_values` in text built from them (messages,
  SARIF ``insertedContent``);
- secrets in live data (API keys, ``user:pass@`` in URLs, secret-named query
  parameters): :func:`redact_live`, applied to the normalised value before any
  folding or truncation.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple

MASK = "***"


class _Lazy:
    """A pattern compiled on first use: most runs print no escaped or live text, and
    compiling every pattern would cost each ``check`` run start-up time."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return self._compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self._get().search(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self._get().match(text)

    def sub(self, replacement: Any, text: str) -> str:
        return self._get().sub(replacement, text)


# -- escaping ---------------------------------------------------------------------------

# C0 and C1 controls (ESC starts terminal sequences; CR, LF and the Unicode line
# breaks start new lines), zero-width and bidirectional characters, and lone
# surrogates (bytes of a file name that are not UTF-8).
_UNSAFE = _Lazy("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
_SURROGATE = _Lazy("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\n``, ``\\x1b``).

    For data the tool did not write itself (file names, keys, values, server
    messages) on its way to a terminal or a CI log: it can neither start a line
    of its own nor send an escape sequence.
    """
    if text.isascii() and text.isprintable():
        return text  # printable ASCII is U+0020-U+007E: nothing to escape
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def display_name(path: str) -> str:
    """A file name as reports show it: valid Unicode (undecodable bytes as ``\\xNN``)."""
    if path.isascii():
        return path
    return _SURROGATE.sub(_escape, path)


def diff_name(name: str) -> str:
    """A file name in a ``---``/``+++`` header: one line, whatever the name holds.

    A newline in a name cannot start a forged header, and a name is never at the
    start of a line, so ``::error …`` in it cannot become a workflow command.
    """
    return safe_text(display_name(name))


def workflow_data(text: str) -> str:
    """A GitHub workflow command's message (what follows the second ``::``)."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return safe_text(escaped)


def workflow_property(text: str) -> str:
    """A workflow command's property value (``file=…``, ``title=…``)."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


# -- secrets in files -------------------------------------------------------------------

# Any key that names a secret: passwords, tokens, API keys, credentials, private and
# signing keys, auth headers, PINs. Matched on the key's own name (any depth).
SECRET_NAME = re.compile(
    r"pass(?:word|wd|phrase)?(?:$|_)|secret|token|api[-_]?key|credential|private[-_]?key|"
    r"signing[-_]?key|auth[-_]?header|authorization|cookie|^x[-_]auth|(?:^|[-_])pin(?:$|[-_])",
    re.IGNORECASE,
)
# Cheap test before parsing a file for secrets.
_MAYBE_SECRET = _Lazy(r"(?i)pass|secret|token|api[-_]?key|credential|key|auth|cookie|pin")
_ENV_REFERENCE = _Lazy(r"^\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$")
# Values shorter than this are masked where they are written, not searched for elsewhere.
_MIN_SEARCHED = 4


def is_secret_name(key: object) -> bool:
    return isinstance(key, str) and SECRET_NAME.search(key) is not None


class FileSecrets(NamedTuple):
    """Where a file's secret values are (character offsets) and what they are."""

    spans: tuple[tuple[int, int], ...]
    values: tuple[str, ...]


_NONE = FileSecrets((), ())


# The words every secret name holds (api_key holds "key"): an ASCII text without any is
# told apart by plain substring tests, far cheaper than the pattern.
_SECRET_WORDS = ("pass", "secret", "token", "key", "credential", "auth", "cookie", "pin")


def _maybe_secret(text: str) -> bool:
    if text.isascii():
        lowered = text.lower()
        return any(word in lowered for word in _SECRET_WORDS)
    # Beyond ASCII, case-insensitive matching knows more than lower() (the Kelvin sign).
    return _MAYBE_SECRET.search(text) is not None


# Each file is asked about twice (messages, then snippets): keep a whole run's answers.
@lru_cache(maxsize=4096)
def file_secrets(text: str) -> FileSecrets:
    """The values of secret-named keys in ``text`` (YAML), from the event stream.

    A file that does not parse is scanned as far as it does; an environment
    reference (``${SIP_PASSWORD}``) is not a secret and stays visible.
    """
    if not _maybe_secret(text):
        return _NONE
    try:
        from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - the C extension is a dependency
        return _NONE
    spans: list[tuple[int, int]] = []
    values: list[str] = []
    anchors: dict[str, tuple[int, int, str]] = {}
    # One frame per open collection: [is_mapping, expecting_key, key_is_secret].
    frames: list[list[bool]] = []
    secret_depth = 0  # > 0 inside a collection that is a secret key's value
    secret_start = 0
    parser = CParser(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            kind = type(event).__name__
            frame = frames[-1] if frames else None
            is_key = frame is not None and frame[0] and frame[1]
            is_value = frame is not None and frame[0] and not frame[1]
            secret = secret_depth > 0 or (is_value and frame is not None and frame[2])
            if kind in ("ScalarEvent", "AliasEvent"):
                start, end = event.start_mark.index, event.end_mark.index
                value = str(getattr(event, "value", "") or "")
                if kind == "ScalarEvent" and event.anchor:
                    anchors[event.anchor] = (start, end, value)
                if is_key and frame is not None:
                    frame[2] = kind == "ScalarEvent" and is_secret_name(value)
                elif secret and secret_depth == 0:
                    if kind == "AliasEvent":
                        start, end, value = anchors.get(event.anchor, (start, end, ""))
                    if not _ENV_REFERENCE.match(value.strip()):
                        spans.append((start, end))
                        values.append(value)
                _advance(frame)
            elif kind in ("MappingStartEvent", "SequenceStartEvent"):
                if is_key and frame is not None:
                    frame[2] = False
                if secret:
                    if secret_depth == 0:
                        secret_start = event.start_mark.index
                    secret_depth += 1
                frames.append([kind == "MappingStartEvent", True, False])
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                if frames:
                    frames.pop()
                if secret_depth:
                    secret_depth -= 1
                    if secret_depth == 0:
                        spans.append((secret_start, event.end_mark.index))
                _advance(frames[-1] if frames else None)
    except Exception:  # a file that does not parse: what was found so far
        pass
    finally:
        parser.dispose()
    return FileSecrets(tuple(spans), tuple(values))


def _advance(frame: list[bool] | None) -> None:
    """A node of ``frame`` is complete: a mapping expects a key after a value."""
    if frame is not None and frame[0]:
        frame[1] = not frame[1]


def mask_secrets(text: str, secrets: FileSecrets | None = None) -> str:
    """``text`` with each secret value replaced by ``*`` (line breaks kept, so line
    and column numbers of everything else stay as they are)."""
    found = file_secrets(text) if secrets is None else secrets
    if not found.spans:
        return text
    chars = list(text)
    for start, end in found.spans:
        for index in range(max(0, start), min(end, len(chars))):
            if chars[index] not in "\r\n":
                chars[index] = "*"
    return "".join(chars)


def masked_line(text: str, line: int) -> str:
    """Line ``line`` (1-based) of ``text`` with its secrets masked."""
    lines = _masked_lines(text)
    return lines[line - 1] if 0 < line <= len(lines) else ""


@lru_cache(maxsize=16)
def _masked_lines(text: str) -> tuple[str, ...]:
    # Once per file, however many of its findings show a snippet.
    return tuple(mask_secrets(text).splitlines())


def redact_values(text: str, values: Iterable[str]) -> str:
    """``text`` with every occurrence of each value (and its one-line forms) replaced."""
    for value in sorted(set(values), key=len, reverse=True):
        for form in {value, " ".join(value.split())}:
            if len(form) >= _MIN_SEARCHED and form in text:
                text = text.replace(form, MASK)
    return text


def redact_hits(hits: Iterable[Any], text: str) -> None:
    """The messages of one file's findings without that file's secret values: a
    message quoting a value (a SIP URI, say) could quote a password. Done where the
    findings are made, so neither a report nor the result cache ever holds one."""
    if not _maybe_secret(text):
        return
    values = file_secrets(text).values
    if values:
        for hit in hits:
            hit.message = redact_values(hit.message, values)


# -- secrets in live data ---------------------------------------------------------------

# scheme://user:pass@ (the user-info of a URL), and the password of sip:user:pass@
# (a SIP URI's user alone is an address, not a secret).
_USERINFO = _Lazy(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s?#]*@")
_SIP_PASSWORD = _Lazy(r"(?i)\b(sips?:[^:@\s/;?#]*):[^@\s/;?#]*@")
# A query or fragment parameter whose name is secret-like: ?api_key=…&token=….
_QUERY_PARAM = _Lazy(r"([?&;#])([^=&;#\s]+)=([^&;#\s]*)")
# Retell API keys (key_…) wherever they appear, whitespace inside them included.
_API_KEY = _Lazy(r"\bkey_(?:\s*[A-Za-z0-9]){16,}")


def redact_live(value: str, extra: Iterable[str] = ()) -> str:
    """A live (API) value with API keys and URL credentials replaced by ``***``.

    Matching is done on the value as the API gave it, before any folding or
    truncation: the tool's own key (RETELL_API_KEY) is found even with whitespace
    inserted in it, as are other ``key_…`` keys, ``user:pass@`` user-info and
    secret-named query parameters.
    """
    if not value:
        return value
    if "@" in value:
        value = _USERINFO.sub(lambda m: m.group(1) + MASK + "@", value)
        value = _SIP_PASSWORD.sub(lambda m: m.group(1) + ":" + MASK + "@", value)
    if "=" in value:
        value = _QUERY_PARAM.sub(_query, value)
    if "key_" in value:
        value = _API_KEY.sub(MASK, value)
    for secret in (os.environ.get("RETELL_API_KEY", ""), *extra):
        secret = "".join(secret.split())
        if len(secret) >= 8:
            value = _spaced(secret).sub(MASK, value)
    return value


def strip_userinfo(value: str) -> str:
    """``value`` without the ``user:pass@`` of its URLs (``sip:`` ones too)."""
    if "@" not in value:
        return value
    return _SIP_PASSWORD.sub(r"\1@", _USERINFO.sub(r"\1", value))


def _query(match: re.Match[str]) -> str:
    lead, name, _value = match.groups()
    return (
        f"{lead}{name}={MASK}" if is_secret_name(name) or name.lower() == "key" else match.group()
    )


@lru_cache(maxsize=8)
def _spaced(secret: str) -> re.Pattern[str]:
    """``secret`` allowing whitespace between its characters (a folded value)."""
    return re.compile(r"\s*".join(re.escape(char) for char in secret))


def shown(text: str) -> str:
    """Live or declared text for a report line: redacted, then escaped."""
    return safe_text(redact_live(text))


def redact_live_data(obj: Any) -> Any:
    """A copy of an API object with :func:`redact_live` applied to every string."""
    if isinstance(obj, str):
        return redact_live(obj)
    if isinstance(obj, dict):
        return {key: redact_live_data(item) for key, item in obj.items()}
    if isinstance(obj, list):
        return [redact_live_data(item) for item in obj]
    return obj
