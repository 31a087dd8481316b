"""How the Retell API client reads a list: page after page, each checked (its shape,
repeated or missing keys, the number of pages), until the last."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from retell_lint.api_base import (
    MAX_PAGES,
    PAGE_LIMIT,
)
from retell_lint.api_limits import (
    MAX_ITEMS,
)
from retell_lint.api_transport import Transport


class Paging(Transport):
    """The list calls of :class:`~retell_lint.retell_api.RetellClient`."""

    # Called after each page of a list: (path, items so far, last page?).
    on_page: Callable[[str, int, bool], None] | None = None

    def _paginate(self, method: str, path: str, *, json_body: Any = None) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        seen_keys: set[str] = set()
        key: str | None = None
        for _page in range(MAX_PAGES):
            params: dict[str, str | int] = {"limit": PAGE_LIMIT}
            if key is not None:
                params["pagination_key"] = key
            data = self._request(method, path, params=params, json_body=json_body)
            page_items, has_more, next_key = self._page_parts(method, path, data)
            items.extend(page_items)
            if self.on_page is not None:
                self.on_page(path, len(items), not has_more)
            if len(items) > MAX_ITEMS:
                raise self._error(method, path, f"more than {MAX_ITEMS} items; giving up")
            if not has_more:
                return items
            if next_key is None:
                raise self._error(
                    method, path, "has_more is true but no pagination_key was returned"
                )
            if next_key in seen_keys or next_key == key:
                raise self._error(
                    method,
                    path,
                    f"pagination_key repeated after {len(seen_keys) + 1} pages "
                    "(the server is looping; giving up)",
                )
            seen_keys.add(next_key)
            key = next_key
        raise self._error(method, path, f"more than {MAX_PAGES} pages; giving up")

    def _page_parts(
        self, method: str, path: str, data: Any
    ) -> tuple[list[dict[str, Any]], bool, str | None]:
        if not isinstance(data, dict):
            raise self._error(
                method, path, f"unexpected response: expected a JSON object, got {_kind(data)}"
            )
        raw_items = data.get("items")
        if not isinstance(raw_items, list):
            raise self._error(
                method, path, f"unexpected response: 'items' is {_kind(raw_items)}, not a list"
            )
        has_more = data.get("has_more")
        if not isinstance(has_more, bool):
            raise self._error(
                method,
                path,
                f"unexpected response: 'has_more' is {_kind(has_more)}, not a boolean",
            )
        for index, item in enumerate(raw_items):
            if not isinstance(item, dict):
                raise self._error(
                    method,
                    path,
                    f"unexpected response: items[{index}] is {_kind(item)}, not an object",
                )
        next_key = data.get("pagination_key")
        if next_key is not None and not isinstance(next_key, str):
            raise self._error(
                method,
                path,
                f"unexpected response: 'pagination_key' is {_kind(next_key)}, not a string",
            )
        return raw_items, has_more, (next_key or None)


_KIND_NAMES: dict[type, str] = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "missing or null",
}


def _kind(value: object) -> str:
    return _KIND_NAMES.get(type(value), type(value).__name__)
