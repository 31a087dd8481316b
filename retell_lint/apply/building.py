"""Building the write actions of a drift plan: one update, create, import or delete per
number (see :mod:`retell_lint.apply.actions` for what each one sends), and the
differences that are reported and never sent (:class:`~retell_lint.apply.actions.Blocked`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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

from . import guards
from .actions import (
    ACTION_KINDS,
    CREATE_PARAMETERS,
    RECREATE,
    SIP_UPDATE_NULLABLE,
    Action,
    ActionPlan,
    Blocked,
    FieldChange,
)
from .guards import Refusal
from .secrets import reference_name, secret_ref

BY_NAME: dict[str, Comparable] = {c.name: c for c in COMPARABLES}


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
