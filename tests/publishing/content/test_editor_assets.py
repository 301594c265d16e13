"""The vendored editor is complete and licensed, and the editor's own files stay offline."""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[3] / "govmedia" / "static" / "govmedia"
QUILL = STATIC / "vendor" / "quill"
EDITOR_FILES = [
    STATIC / "js" / "article-editor.js",
    STATIC / "css" / "article-editor.css",
    STATIC.parents[1] / "templates" / "publishing" / "includes" / "article_editor.html",
]
# A URL with a host: what a browser could fetch. ("https://" alone, a prefix the script adds to
# a typed link, names nothing.)
URL = re.compile(r"https?://[\w\[]|[\"'(=]\s*//[\w-]+\.[\w.-]+", re.IGNORECASE)


@pytest.mark.parametrize(
    "name", ["quill.js", "quill.snow.css", "LICENSE", "quill.js.LICENSE.txt", "README.txt"]
)
def test_vendored_quill_files_are_present(name):
    assert (QUILL / name).stat().st_size > 0


def test_the_vendored_quill_is_the_version_the_readme_names():
    readme = (QUILL / "README.txt").read_text(encoding="utf-8")
    version = re.search(r"Quill (\d+\.\d+\.\d+)", readme).group(1)
    assert version.startswith("2.")
    assert f'static version="{version}"' in (QUILL / "quill.js").read_text(encoding="utf-8")
    banner = (QUILL / "quill.js.LICENSE.txt").read_text(encoding="utf-8")
    assert f"Quill Editor v{version}" in banner
    assert "BSD-3-Clause" in readme and "npm" in readme


def test_the_licence_travels_with_the_code():
    licence = (QUILL / "LICENSE").read_text(encoding="utf-8")
    assert "Copyright (c) 2017-2024, Slab" in licence
    assert "Redistribution and use in source and binary forms" in licence
    # The bundle's header points at its banner file, which must be there.
    js = (QUILL / "quill.js").read_text(encoding="utf-8")
    assert js.startswith("/*! For license information please see quill.js.LICENSE.txt */")
    assert "Copyright (c) 2017-2024, Slab" in (QUILL / "quill.js.LICENSE.txt").read_text("utf-8")


def test_vendored_files_reference_no_missing_source_map():
    for name in ("quill.js", "quill.snow.css"):
        assert "sourceMappingURL" not in (QUILL / name).read_text(encoding="utf-8")


def test_the_theme_loads_nothing_from_elsewhere():
    css = (QUILL / "quill.snow.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css


@pytest.mark.parametrize("path", EDITOR_FILES, ids=lambda p: p.name)
def test_editor_files_reference_no_web_address(path):
    text = path.read_text(encoding="utf-8")
    assert URL.findall(text) == []
    assert "@import" not in text and "url(" not in text
