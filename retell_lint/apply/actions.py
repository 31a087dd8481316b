"""From the drift plan to write actions, and the plan object that owns their counts
and safety checks.

- **update** (a ``changed`` number): one PATCH whose body holds only the declared
  fields that differ, in the update's parameter names (the SIP trunk's fields flat,
  legacy single-agent fields as the lists they stand for, ``null`` to clear).
- **create** (a missing ``retell-*`` number) and **import** (a missing ``custom``
  number): one POST with the declared fields that request takes; declared fields it
  does not take (SMS agents, a fallback on import) follow in one PATCH. Gated by
  ``--allow-create``.
- **delete**: only a live number declared ``state: absent``; gated by
  ``--allow-delete``. Unmanaged numbers are listed and never touched.

Bodies carry the declared values as written (normalised forms are only for comparing).
What an update cannot do (a create-only field such as ``area_code``, unsetting the
trunk's URI, a trunk setting on a number Retell manages) is a :class:`Blocked`
difference, reported and never sent; so is every number whose body breaks the API's
contract (:mod:`retell_lint.apply.contract`) or whose file gives one setting two values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from retell_lint.build import NumberDoc
from retell_lint.drift.normalise import COMPARABLES, SIP, Comparable, declared_values
from retell_lint.drift.plan import Plan
from retell_lint.errors import FatalError
from retell_lint.fields import (
    NUMBER_FIELDS,
    SIP_REQUEST_NAMES,
    Request,
)
from retell_lint.online import phone_key
from retell_lint.output import EXIT_CLEAN, EXIT_FINDINGS

from . import guards
from .guards import Refusal
from .secrets import reference_name, secret_ref

ActionKind = Literal["update", "create", "import", "delete"]
ACTION_KINDS: tuple[ActionKind, ...] = ("create", "import", "update", "delete")
GATES = {"create": "--allow-create", "import": "--allow-create", "delete": "--allow-delete"}
RECREATE = "cannot be changed without re-creating the number"
# Update parameters of the SIP trunk that accept null (the SDK's Optional ones).
SIP_UPDATE_NULLABLE = frozenset({"transport"})
# Create-time parameters the API never returns: read from the config as written.
CREATE_PARAMETERS = ("number_provider", "country_code", "toll_free", "ignore_e164_validation")
MIN_MANAGED_FOR_PERCENT = 10
BY_NAME: dict[str, Comparable] = {c.name: c for c in COMPARABLES}


@dataclass(frozen=True)
class FieldChange:
    """One field an action writes: the config's name, the request's, both values."""

    field: str
    parameter: str | None
    live: Any
    declared: Any
    line: int | None = None


@dataclass
class Action:
    kind: ActionKind
    phone_number: str
    file: str | None
    line: int | None
    body: dict[str, Any]
    changes: list[FieldChange]
    # Fields the POST does not take, sent in one PATCH right after it.
    follow_up: dict[str, Any] = field(default_factory=dict)

    @property
    def gate(self) -> str | None:
        """The flag this action needs, if any."""
        return GATES.get(self.kind)

    @property
    def method(self) -> str:
        return {"update": "PATCH", "delete": "DELETE"}.get(self.kind, "POST")

    @property
    def path(self) -> str:
        if self.kind == "update":
            return f"/update-phone-number/{self.phone_number}"
        if self.kind == "delete":
            return f"/delete-phone-number/{self.phone_number}"
        return f"/{self.kind}-phone-number"

    def key(self) -> str:
        """What the action does, canonically: equal keys send equal requests."""
        return json.dumps([self.kind, self.phone_number, self.body, self.follow_up], sort_keys=True)


@dataclass(frozen=True)
class Blocked:
    """A difference apply cannot make, and why."""

    phone_number: str
    field: str
    live: Any
    declared: Any
    reason: str
    file: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Limits:
    max_changes: int = 10
    max_percent: float = 30.0


@dataclass
class ActionPlan:
    """Everything apply would do, what it cannot, and what it leaves alone."""

    actions: list[Action]
    blocked: list[Blocked]
    unmanaged: list[str]
    # Declared numbers that exist in the account and are not ignored.
    managed: int
    drift: Plan
    rotate_secrets: bool = False

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(ACTION_KINDS, 0)
        for action in self.actions:
            counts[action.kind] += 1
        counts["blocked"] = len(self.blocked)
        counts["unmanaged"] = len(self.unmanaged)
        return counts

    def allowed(self, allow_create: bool, allow_delete: bool) -> list[Action]:
        """The actions the given flags let run, in order."""
        flags = {"--allow-create": allow_create, "--allow-delete": allow_delete}
        return [a for a in self.actions if a.gate is None or flags[a.gate]]

    def exit_code(self) -> int:
        """0 nothing to do; 1 actions or differences apply cannot make."""
        return EXIT_FINDINGS if self.actions or self.blocked else EXIT_CLEAN

    def check_safety(self, actions: Sequence[Action], limits: Limits, force: bool) -> None:
        """Refuse (octoDNS's thresholds) a plan that touches too many numbers at once."""
        if force or not actions:
            return
        total = len(actions)
        if total > limits.max_changes:
            raise FatalError(
                f"refusing to apply: the plan changes {total} numbers, more than "
                f"apply.max_changes ({limits.max_changes}); review it and pass --force to "
                "apply it anyway (nothing was written)"
            )
        existing = sum(1 for a in actions if a.kind in ("update", "delete"))
        if self.managed >= MIN_MANAGED_FOR_PERCENT and existing:
            share = 100.0 * existing / self.managed
            if share > limits.max_percent:
                raise FatalError(
                    f"refusing to apply: the plan updates or deletes {existing} of the "
                    f"{self.managed} managed numbers ({share:.1f}%), more than "
                    f"apply.max_percent ({limits.max_percent:g}%); review it and pass "
                    "--force to apply it anyway (nothing was written)"
                )


def _password(doc: NumberDoc) -> tuple[dict[str, str] | None, int]:
    """The declared trunk password as a secret reference (and its line), if declared."""
    sip = doc.config.sip_outbound_trunk_config
    if sip is None or "auth_password" not in sip.fields_set:
        return None, 0
    path = f"{SIP}.auth_password"
    span = doc.value_span(path)
    raw = sip.auth_password
    if raw is None:
        return None, span.line
    name = reference_name(raw)
    if name is None:
        raise FatalError(
            "auth_password is not an environment reference such as ${SIP_PASSWORD}; apply "
            "never sends or stores a password written in a file",
            location=f"{doc.file}:{span.line}:{span.column}",
        )
    return secret_ref(name), span.line


class _Builder:
    def __init__(self, rotate_secrets: bool) -> None:
        self.rotate_secrets = rotate_secrets
        self.actions: list[Action] = []
        self.blocked: list[Blocked] = []

    def block(
        self, doc: NumberDoc, key: str, name: str, live: Any, declared: Any, reason: str
    ) -> None:
        line = doc.value_span(name if name in doc.places else "phone_number").line
        self.blocked.append(Blocked(key, name, live, declared, reason, doc.file, line))

    def refuse(
        self,
        doc: NumberDoc,
        key: str,
        refusals: Sequence[Refusal],
        live: Mapping[str, Any] | None = None,
    ) -> bool:
        """Block each refusal (``live``: live values by field); True if there was any."""
        for item in refusals:
            current = (live or {}).get(item.field)
            self.block(doc, key, item.field, current, item.declared, item.reason)
        return bool(refusals)

    def add(self, action: Action, doc: NumberDoc, kind: Any) -> None:
        """Add ``action`` unless its body breaks the API's contract (then block it)."""
        request: Request = action.kind if action.kind in ("create", "import") else "update"
        fields = {change.parameter: change.field for change in action.changes}
        found = guards.contract_refusals(request, action.body, action.follow_up, fields, kind)
        live = {change.field: change.live for change in action.changes}
        if not self.refuse(doc, action.phone_number, found, live):
            self.actions.append(action)

    def update(
        self, doc: NumberDoc, key: str, changes: Sequence[Any], live: Mapping[str, Any]
    ) -> None:
        if self.refuse(doc, key, guards.conflicts(doc) + guards.unreadable(doc)):
            return
        kind = live.get("phone_number_type")
        kind = kind if isinstance(kind, str) else doc.config.phone_number_type
        raw = {value.field.name: value.raw for value in declared_values(doc)}
        body: dict[str, Any] = {}
        written: list[FieldChange] = []
        for change in changes:
            comparable = BY_NAME.get(change.field)
            if comparable is None:
                continue
            if comparable.kind == "create_only":
                self.block(doc, key, change.field, change.live, change.declared, RECREATE)
                continue
            refused = guards.managed_sip(comparable.sub, kind)
            if refused is not None:
                declared = raw.get(change.field, change.declared)
                self.block(doc, key, change.field, change.live, declared, refused)
                continue
            value = raw.get(change.field, change.declared)
            if comparable.sub is not None:
                parameter = SIP_REQUEST_NAMES["update"][comparable.sub]
                if value is None and comparable.sub == "codecs":
                    value = []  # the API's way to say "the gateway's defaults"
                elif value is None and parameter not in SIP_UPDATE_NULLABLE:
                    self.block(
                        doc,
                        key,
                        change.field,
                        change.live,
                        None,
                        f"the API cannot unset {parameter}; re-import the number to drop it",
                    )
                    continue
            else:
                parameter = change.field
            body[parameter] = value
            written.append(FieldChange(change.field, parameter, change.live, value, change.line))
        if self.rotate_secrets:
            ref, line = _password(doc)
            if ref is not None:
                body["auth_password"] = ref
                written.append(
                    FieldChange(f"{SIP}.auth_password", "auth_password", None, ref, line)
                )
        if body:
            self.add(Action("update", key, doc.file, _line(doc), body, written), doc, kind)

    def create(self, doc: NumberDoc, key: str) -> None:
        kind = doc.config.phone_number_type
        if kind not in ("retell-twilio", "retell-telnyx", "custom"):
            self.block(
                doc,
                key,
                "phone_number_type",
                None,
                kind,
                "declare phone_number_type (retell-twilio or retell-telnyx to buy the number, "
                "custom to import it) so apply knows how to create it",
            )
            return
        if self.refuse(doc, key, guards.conflicts(doc) + guards.unreadable(doc)):
            return
        request: Request = "import" if kind == "custom" else "create"
        # The number as written: a value that is not E.164 is refused, not rewritten.
        body: dict[str, Any] = {"phone_number": doc.phone_number}
        follow: dict[str, Any] = {}
        written: list[FieldChange] = []
        for value in declared_values(doc):
            comparable = value.field
            # Unset (null or empty) at creation is the API's default: nothing to send.
            if comparable.name == "phone_number_type" or value.raw is None or value.raw == []:
                continue
            refused = guards.managed_sip(comparable.sub, kind)
            if refused is not None:
                self.block(doc, key, comparable.name, None, value.raw, refused)
                continue
            if comparable.sub is not None:
                parameter = SIP_REQUEST_NAMES[request].get(comparable.sub)
                target = body
                if parameter is None:
                    parameter, target = SIP_REQUEST_NAMES["update"][comparable.sub], follow
            else:
                requests = NUMBER_FIELDS[comparable.name].requests
                parameter = comparable.name
                if request in requests:
                    target = body
                elif "update" in requests:
                    target = follow
                else:
                    self.block(
                        doc, key, comparable.name, None, value.show, f"{request} does not take it"
                    )
                    continue
            target[parameter] = value.raw
            line = doc.value_span(value.path).line
            written.append(FieldChange(comparable.name, parameter, None, value.raw, line))
        for name in CREATE_PARAMETERS:
            given = getattr(doc.config, name)
            if name in doc.declared and given is not None and request in _requests(name):
                body[name] = given
                line = doc.value_span(name).line
                written.append(FieldChange(name, name, None, given, line))
        if request == "create" and "number_provider" not in body:
            body["number_provider"] = kind.removeprefix("retell-")
        if request == "create":
            refusals, country = guards.buy(key, kind, body)
            if self.refuse(doc, key, refusals):
                return
            if country is not None:
                # Shown in the plan: the API would otherwise buy it in the US.
                body["country_code"] = country
                written.append(
                    FieldChange("country_code", "country_code", None, country, _line(doc))
                )
        ref, line = _password(doc)
        if ref is not None:
            parameter = "sip_trunk_auth_password" if request == "import" else "auth_password"
            (body if request == "import" else follow)[parameter] = ref
            written.append(FieldChange(f"{SIP}.auth_password", parameter, None, ref, line))
        if request == "import" and "termination_uri" not in body:
            self.block(
                doc,
                key,
                f"{SIP}.termination_uri",
                None,
                None,
                "importing a custom number needs sip_outbound_trunk_config.termination_uri",
            )
            return
        self.add(
            Action(request, key, doc.file, _line(doc), body, written, follow_up=follow), doc, kind
        )


def _requests(name: str) -> tuple[Request, ...]:
    return NUMBER_FIELDS[name].requests


def _line(doc: NumberDoc) -> int:
    return doc.value_span("phone_number").line


def build_actions(
    declared: Sequence[NumberDoc],
    drift: Plan,
    live: Mapping[str, Mapping[str, Any]],
    *,
    rotate_secrets: bool = False,
) -> ActionPlan:
    """The actions that make the account match the declared numbers.

    ``drift`` is the drift plan of ``declared`` against the live numbers ``live``
    (by E.164 form); it must be complete.
    """
    if not drift.complete:
        raise FatalError(f"{drift.origin} was not read completely; cannot plan")
    docs = {phone_key(d.phone_number): d for d in declared if d.phone_number is not None}
    builder = _Builder(rotate_secrets)
    unmanaged: list[str] = []
    managed = 0
    for entry in drift.entries:
        key = entry.phone_number
        doc = docs.get(key)
        if entry.status == "unmanaged" or doc is None:
            if entry.status == "unmanaged":
                unmanaged.append(key)
            continue
        if entry.status == "ignored":
            continue
        if key in live:
            managed += 1
        if doc.config.state == "absent":
            if key in live:
                change = FieldChange(
                    "state", None, "present", "absent", doc.value_span("state").line
                )
                builder.actions.append(Action("delete", key, doc.file, _line(doc), {}, [change]))
            continue
        if entry.status == "missing":
            builder.create(doc, key)
        elif entry.status in ("changed", "in_sync"):
            builder.update(doc, key, entry.changes, live.get(key) or {})
    order = {kind: index for index, kind in enumerate(ACTION_KINDS)}
    builder.actions.sort(key=lambda a: (order[a.kind], a.phone_number))
    return ActionPlan(builder.actions, builder.blocked, unmanaged, managed, drift, rotate_secrets)
