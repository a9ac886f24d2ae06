"""POST /developers/graphql: the emulator's GraphQL endpoint, over the same state as REST.

The schema is the project's own (schema.graphql, a subset of Kitemaker's), executed by
graphql-core; this module is imported on the first GraphQL request only. Answers:
- 200 `{"data": ...}`, with `"errors"` beside it when a field failed: an EmulatorError
  keeps its message and says its kind in `extensions.code` (NOT_FOUND for a 404,
  BAD_USER_INPUT for a 400), a bug is INTERNAL_SERVER_ERROR;
- 400 `{"errors": [...]}` for a request that is not GraphQL, does not parse
  (GRAPHQL_PARSE_FAILED), does not fit the schema (GRAPHQL_VALIDATION_FAILED) or whose
  variables do not (BAD_USER_INPUT).
Writes go through the state's own methods, so they obey REST's rules and history.
"""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path
from typing import Any

from graphql import GraphQLError, GraphQLSchema, build_schema, execute, parse, validate
from graphql.language import DocumentNode, OperationDefinitionNode

from kiteboard.emulator import graphql_shapes as shapes
from kiteboard.emulator.errors import EmulatorError, not_found
from kiteboard.emulator.graphql_paging import work_items_page
from kiteboard.emulator.graphql_writes import Mutations
from kiteboard.emulator.state import EmulatorState

SCHEMA_FILE = Path(__file__).with_name("schema.graphql")
log = logging.getLogger(__name__)

_CODE_OF_STATUS = {400: "BAD_USER_INPUT", 401: "UNAUTHENTICATED", 404: "NOT_FOUND"}


@functools.cache
def schema() -> GraphQLSchema:
    return build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))


class Queries:
    """The Query type's fields (graphql-core calls them with `info` and the arguments)."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def organization(self, info: Any) -> dict[str, Any]:
        return shapes.organization(self.state)

    def spaceByKey(self, info: Any, key: str) -> dict[str, Any]:
        space = self.state.space_by_key(key)
        if space is None:
            raise not_found("space")
        return shapes.space(self.state, space)

    def workItems(self, info: Any, **arguments: Any) -> dict[str, Any]:
        return work_items_page(self.state, **arguments)

    def workItem(self, info: Any, id: str) -> dict[str, Any]:
        return shapes.work_item(self.state, self.state.item(id))

    def workItemByNumber(self, info: Any, number: str) -> dict[str, Any]:
        key, _, digits = number.strip().rpartition("-")
        space = self.state.space_by_key(key)
        item = None
        if space is not None and digits.isascii() and digits.isdigit():
            item = self.state.item_by_number(space.id, int(digits))
        if item is None:
            raise not_found("work item")
        return shapes.work_item(self.state, item)

    def comment(self, info: Any, id: str) -> dict[str, Any]:
        found = self.state.comments.get(id)
        if found is None:
            raise EmulatorError(404, "COMMENT_NOT_FOUND", "Could not find the specified comment")
        return shapes.comment(self.state, found)


def _error(message: str, code: str) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code}}


def _formatted(error: GraphQLError) -> dict[str, Any]:
    cause = error.original_error
    if isinstance(cause, EmulatorError):
        code = _CODE_OF_STATUS.get(cause.status, "INTERNAL_SERVER_ERROR")
        entry = _error(cause.message, code)
        entry["extensions"]["kitemakerCode"] = cause.code
    elif cause is not None:  # a bug in the emulator: say so as a server would
        log.error("emulator GraphQL resolver failed", exc_info=cause)
        entry = _error("The emulator failed (a bug)", "INTERNAL_SERVER_ERROR")
    else:
        entry = _error(error.message, "BAD_USER_INPUT")
    if error.path:
        entry["path"] = list(error.path)
    return entry


def root_fields(document: Any, operation_name: str | None) -> list[str]:
    """The root fields the chosen operation asks for (for the emulator's statistics)."""
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            operation_name is None or (definition.name and definition.name.value == operation_name)
        ):
            return [s.name.value for s in definition.selection_set.selections if hasattr(s, "name")]
    return []


def _never(value: object) -> bool:
    return False


@functools.lru_cache(maxsize=64)
def _checked(query: str) -> tuple[DocumentNode | None, tuple[str, ...]]:
    """(document, validation problems), or (None, (parse error,)). Cached: a client
    sends the same few queries again and again (a sync, every page)."""
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, (error.message,)
    return document, tuple(p.message for p in validate(schema(), document))


def run(state: EmulatorState, body: bytes) -> tuple[int, dict[str, Any], list[str]]:
    """(HTTP status, answer, root fields asked for) for one GraphQL request body."""
    try:
        request = json.loads(body) if body.strip() else None
    except (UnicodeDecodeError, ValueError):
        request = None
    query = request.get("query") if isinstance(request, dict) else None
    if not isinstance(query, str):
        message = 'The body must be JSON: {"query": "...", "variables": {...}}'
        return 400, {"errors": [_error(message, "BAD_REQUEST")]}, []
    variables = request.get("variables")
    operation_name = request.get("operationName")
    if variables is not None and not isinstance(variables, dict):
        return 400, {"errors": [_error("variables must be an object", "BAD_USER_INPUT")]}, []
    if not isinstance(operation_name, str):
        operation_name = None
    document, problems = _checked(query)
    if document is None:
        return 400, {"errors": [_error(problems[0], "GRAPHQL_PARSE_FAILED")]}, []
    if problems:
        errors = [_error(p, "GRAPHQL_VALIDATION_FAILED") for p in problems]
        return 400, {"errors": errors}, []
    fields = root_fields(document, operation_name)
    result = execute(
        schema(),
        document,
        root_value=_Root(state),
        variable_values=variables,
        operation_name=operation_name,
        # Every resolver here is synchronous: asking each value whether it is
        # awaitable costs a third of a page's time.
        is_awaitable=_never,
    )
    answer: dict[str, Any] = {"data": result.data}
    if result.errors:
        answer["errors"] = [_formatted(e) for e in result.errors]
        if result.data is None and not any(e.path for e in result.errors):
            return 400, {"errors": answer["errors"]}, fields  # variables did not fit
    return 200, answer, fields


class _Root(Queries, Mutations):
    """One root value for both operation types: their field names do not overlap."""

    def __init__(self, state: EmulatorState) -> None:
        Queries.__init__(self, state)
