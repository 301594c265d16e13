"""The platforms' published answers (tests/platforms/published/<platform>/<name>.json), served as
they are over real HTTP, and the recursive shape comparison of a fake's answer with them.

Each file holds `request` (method and path), `body` (the published answer), optionally `status`
(HTTP status, 200 when absent), `_source` (where it was published) and `_note`, and optionally
`_fake_differs`: the paths where the fake may differ from this example, each with its reason
(another part of the same official documentation lists the field), in the notation of
`shape_differences` ("statuses[].idstr").
"""

import json
from pathlib import Path

from govmedia.platforms.fakes.server import FakeApp, FakeServer, Request, Response

PUBLISHED = Path(__file__).with_name("published")


def example(name: str) -> dict:
    """`name` is "<platform>/<file stem>"."""
    return json.loads((PUBLISHED / f"{name}.json").read_text(encoding="utf-8"))


def every_example() -> list[str]:
    return sorted(
        f"{path.parent.name}/{path.stem}" for path in PUBLISHED.glob("*/*.json") if path.is_file()
    )


class PublishedApp(FakeApp):
    """Answers each request whose (method, path) it was given with that published answer, as is;
    anything else with a 404 page. It keeps the requests, so a test can count what was sent."""

    platform = "published"

    def __init__(self, answers: dict[tuple[str, str], dict]):
        super().__init__(None, clock=lambda: 0.0)
        self.answers = answers
        self.asked: list[tuple[str, str]] = []

    def handle(self, request: Request) -> Response:
        self.asked.append((request.method, request.path))
        found = self.answers.get((request.method, request.path))
        if found is None:
            return Response(raw=b"<html>404</html>", status=404, content_type="text/html")
        return Response(found["body"], status=found.get("status", 200))


def serve_examples(*names: str) -> tuple[FakeServer, PublishedApp]:
    answers = {}
    for name in names:
        loaded = example(name)
        answers[(loaded["request"]["method"], loaded["request"]["path"])] = loaded
    app = PublishedApp(answers)
    return FakeServer(app).start(), app


# JSON types, bool before int (a bool is an int in Python).
KINDS = (
    (type(None), "null"),
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


def _kind(value) -> str:
    return next((name for kind, name in KINDS if isinstance(value, kind)), type(value).__name__)


def shape_differences(published, answer, allowed=frozenset(), path: str = "") -> list[str]:
    """Where `answer` is not shaped like `published`: a key missing or extra, a value of another
    JSON type, recursively; every item of an array is compared with the published array's first
    item. `allowed` holds the paths declared (with a reason) in the example's `_fake_differs`."""
    if _kind(published) != _kind(answer):
        return [f"{path or '答复'}: 类型 {_kind(answer)}，公开示例为 {_kind(published)}"]
    differences = []
    if isinstance(published, dict):
        for key in published.keys() - answer.keys():
            where = f"{path}.{key}" if path else key
            if where not in allowed:
                differences.append(f"{where}: 缺少（公开示例有）")
        for key in answer.keys() - published.keys():
            where = f"{path}.{key}" if path else key
            if where not in allowed:
                differences.append(f"{where}: 多出（公开示例没有）")
        for key in published.keys() & answer.keys():
            where = f"{path}.{key}" if path else key
            differences += shape_differences(published[key], answer[key], allowed, where)
    elif isinstance(published, list) and published:
        for item in answer:
            differences += shape_differences(published[0], item, allowed, f"{path}[]")
    return differences
