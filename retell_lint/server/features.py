"""The protocol's requests and notifications, each handled without letting an error
stop the server: a failure is logged and the request answered with nothing."""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
from collections.abc import Callable
from typing import Any, TypeVar

from lsprotocol import types

from retell_lint.server.actions import FIX_ALL_KIND
from retell_lint.server.positions import LSP_BREAK
from retell_lint.server.protocol import WATCHED, RetellLintServer, unsuppressible

log = logging.getLogger(__name__)
T = TypeVar("T")


def guarded(default: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Log any error of a handler and answer ``default``: one bad file or request never
    takes the server down."""

    def wrap(handler: Callable[..., Any]) -> Callable[..., Any]:
        def failed(ls: RetellLintServer, exc: Exception) -> Any:
            log.exception("%s failed", handler.__name__)
            ls.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Error,
                    message=f"retell-lint: {handler.__name__} failed: {type(exc).__name__}",
                )
            )
            return default

        # pygls passes the server to a handler whose first parameter is named ``ls``.
        if inspect.iscoroutinefunction(handler):

            async def run_async(ls: RetellLintServer, params: Any) -> Any:
                try:
                    return await handler(ls, params)
                except Exception as exc:
                    return failed(ls, exc)

            run_async.__name__ = handler.__name__
            return run_async

        def run(ls: RetellLintServer, params: Any) -> Any:
            try:
                return handler(ls, params)
            except Exception as exc:
                return failed(ls, exc)

        run.__name__ = handler.__name__
        return run

    return wrap


def build_server() -> RetellLintServer:
    """The server with every feature registered."""
    server = RetellLintServer()
    register(server)
    return server


def register(server: RetellLintServer) -> None:
    server.feature(types.INITIALIZE)(guarded(None)(initialize))
    server.feature(types.INITIALIZED)(guarded(None)(initialized))
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(guarded(None)(did_open))
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(guarded(None)(did_change))
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(guarded(None)(did_close))
    server.feature(types.TEXT_DOCUMENT_DID_SAVE)(guarded(None)(did_save))
    server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(guarded(None)(watched))
    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND],
            resolve_provider=True,
        ),
    )(guarded(None)(code_action))
    server.feature(types.CODE_ACTION_RESOLVE)(guarded(None)(resolve_code_action))
    server.feature(types.TEXT_DOCUMENT_HOVER)(guarded(None)(hover))
    server.feature(types.SHUTDOWN)(guarded(None)(shutdown))


def initialize(server: RetellLintServer, params: types.InitializeParams) -> None:
    options = params.initialization_options
    if isinstance(options, dict):
        debounce = options.get("debounceMs")
        if isinstance(debounce, (int, float)) and 0 <= debounce <= 10_000:
            server.debounce = debounce / 1000


async def initialized(server: RetellLintServer, params: types.InitializedParams) -> None:
    for root in server.roots():
        server.workspace_for(os.path.join(root, "."))
    capabilities = server.client_capabilities.workspace
    watched = capabilities.did_change_watched_files if capabilities is not None else None
    if watched is not None and watched.dynamic_registration:
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED]
        )
        await server.client_register_capability_async(
            types.RegistrationParams(
                registrations=[
                    types.Registration(
                        id="retell-lint-watched-files",
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=options,
                    )
                ]
            )
        )


def _opened(server: RetellLintServer, uri: str) -> None:
    path = server.path_of(uri)
    if path is None:
        return
    document = server.workspace.get_text_document(uri)
    workspace = server.workspace_for(path)
    workspace.set_open(path, document.source, document.version)
    server.schedule(workspace)


def did_open(server: RetellLintServer, params: types.DidOpenTextDocumentParams) -> None:
    _opened(server, params.text_document.uri)


def did_change(server: RetellLintServer, params: types.DidChangeTextDocumentParams) -> None:
    _opened(server, params.text_document.uri)


def did_close(server: RetellLintServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    path = server.path_of(uri)
    server.published.pop(uri, None)
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
    )
    if path is None:
        return
    workspace = server.workspace_for(path)
    workspace.close(path)
    # Findings in other files that only this buffer caused go (its disk text counts now).
    server.schedule(workspace)


def did_save(server: RetellLintServer, params: types.DidSaveTextDocumentParams) -> None:
    path = server.path_of(params.text_document.uri)
    if path is None:
        return
    workspace = server.workspace_for(path)
    if workspace.is_config_file(path):
        server.reload(workspace)
    else:
        workspace.forget(path)


def watched(server: RetellLintServer, params: types.DidChangeWatchedFilesParams) -> None:
    touched: dict[str, tuple[Any, bool, bool]] = {}
    for change in params.changes:
        path = server.path_of(change.uri)
        if path is None:
            continue
        workspace = server.workspace_for(path)
        key = str(workspace.root)
        _, reload, rescan = touched.get(key, (workspace, False, False))
        if workspace.is_config_file(path):
            reload = True
        else:
            workspace.forget(path)
            rescan = rescan or change.type != types.FileChangeType.Changed
        touched[key] = (workspace, reload, rescan)
    for workspace, reload, rescan in touched.values():
        if reload:
            server.reload(workspace)
        else:
            if rescan:
                workspace.rescan()
            server.schedule(workspace)


async def code_action(
    server: RetellLintServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    published = await server.current(uri)
    if published is None:
        return None
    actions = published.actions(uri, server.encoding, unsuppressible())
    only = params.context.only
    wants_fix_all = only is not None and any(
        FIX_ALL_KIND.startswith(kind) or kind == types.CodeActionKind.Source for kind in only
    )
    wants_quick = only is None or any(
        kind in (types.CodeActionKind.QuickFix, "quickfix") for kind in only
    )
    result: list[types.CodeAction] = []
    if wants_quick:
        indexes = actions.in_range(params.range)
        result += actions.quick_fixes(indexes)
        result += actions.suppressions(indexes)
    path = server.path_of(uri)
    assert path is not None
    config = server.workspace_for(path).config
    if config is None or not actions.fixable():
        return result
    if wants_fix_all:
        # Asked for by name (fix on save): worked out now.
        loop = asyncio.get_running_loop()
        fix_all = await loop.run_in_executor(server.executor, actions.fix_all, config)
        if fix_all is not None:
            result.append(fix_all)
    elif only is None and _resolves_edits(server):
        # In the light-bulb list: worked out only when chosen (codeAction/resolve).
        result.append(
            types.CodeAction(
                title="Fix all retell-lint findings",
                kind=FIX_ALL_KIND,
                data={"uri": uri, "version": published.version},
            )
        )
    return result


def _resolves_edits(server: RetellLintServer) -> bool:
    document = server.client_capabilities.text_document
    code_action = document.code_action if document is not None else None
    support = code_action.resolve_support if code_action is not None else None
    return support is not None and "edit" in support.properties


async def resolve_code_action(
    server: RetellLintServer, action: types.CodeAction
) -> types.CodeAction:
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    if action.kind != FIX_ALL_KIND or not isinstance(uri, str):
        return action
    published = await server.current(uri)
    path = server.path_of(uri)
    if published is None or path is None:
        return action
    config = server.workspace_for(path).config
    if config is None:
        return action
    actions = published.actions(uri, server.encoding, unsuppressible())
    loop = asyncio.get_running_loop()
    fix_all = await loop.run_in_executor(server.executor, actions.fix_all, config)
    if fix_all is not None:
        action.edit = fix_all.edit
        action.title = fix_all.title
    return action


async def hover(server: RetellLintServer, params: types.HoverParams) -> types.Hover | None:
    from retell_lint.server.hover import field_markdown, field_spec, key_at, rule_markdown

    uri = params.text_document.uri
    published = await server.current(uri)
    if published is None:
        return None
    actions = published.actions(uri, server.encoding, unsuppressible())
    position = params.position
    wanted = types.Range(start=position, end=position)
    parts: list[str] = []
    path = server.path_of(uri)
    assert path is not None
    rules = dict(server.workspace_for(path).rules)
    for index in actions.in_range(wanted):
        finding = published.findings[index]
        active = rules.get(finding.rule)
        if active is not None:
            parts.append(rule_markdown(active.rule, finding.message))
    lines = actions.positions.lsp
    starts = lines.starts
    if 0 <= position.line < len(starts):
        offset = lines.offset(position.line, position.character)
        line_start = starts[position.line]
        text_lines = LSP_BREAK.split(published.text)
        found = key_at(text_lines, position.line, offset - line_start)
        if found is not None:
            spec = field_spec(*found)
            if spec is not None:
                parts.append(field_markdown(spec))
    if not parts:
        return None
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
        )
    )


def shutdown(server: RetellLintServer, params: Any) -> None:
    server.executor.shutdown(wait=False, cancel_futures=True)
