"""Sample filings for the form renderers, and poppler to read PDFs back.

Everything is a fixture (not an importable helper) so these tests need no
package __init__ files and cannot clash with other test folders' modules.
"""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date
from pathlib import Path

import pytest

from govmedia.registry.documents import FilingFormData, TeamMember

# 500 and 1,000 characters: the longest 功能定位 and 其他需要说明事项 a filing may have.
LONG_POSITIONING = ("发布街道政务信息，解读惠民政策，回应群众关切，提供便民服务。" * 20)[:500]
LONG_NOTES = ("账号原名“滨河街道”，因机构改革整合，现变更名称并调整运维单位。" * 40)[:1000]


def _make_filing(**overrides) -> FilingFormData:
    filing = FilingFormData(
        district_name="菏泽市定陶区",
        filing_no="定陶新媒备〔2026〕第001号",
        unit_name="菏泽市定陶区人民政府滨河街道办事处",
        filed_on=date(2026, 11, 25),
        account_name="定陶滨河发布",
        handle="dingtao_binhe",
        platform="微信公众号",
        registrant="菏泽市定陶区人民政府滨河街道办事处",
        registered_on=date(2019, 3, 12),
        kind="change",
        positioning="发布街道政务信息，解读惠民政策，回应群众关切，提供便民服务。",
        verified=True,
        operator="菏泽某某网络科技有限公司",
        contact="张三 0530-2212021",
        notes="账号名称由“滨河街道”变更为“定陶滨河发布”。",
        principal=TeamMember("李四", "0530-2212001", "13800000001"),
        leader_in_charge=TeamMember("王五", "0530-2212002", "13800000002"),
        person_responsible=TeamMember("赵六", "0530-2212003", "13800000003"),
        supervisor_name="菏泽市定陶区人民政府",
        office_name="区政府办公室",
    )
    return dataclasses.replace(filing, **overrides)


@pytest.fixture
def make_filing():
    return _make_filing


@pytest.fixture(scope="session")
def filing() -> FilingFormData:
    return _make_filing()  # frozen: safe to share


@pytest.fixture(scope="session")
def long_filing() -> FilingFormData:
    return _make_filing(positioning=LONG_POSITIONING, notes=LONG_NOTES)


class Poppler:
    """Reads a PDF the way a person's viewer would: pages, text, fonts, pixels."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def save(self, content: bytes, name: str = "form.pdf") -> Path:
        path = self.tmp_path / name
        path.write_bytes(content)
        return path

    def pages(self, path: Path) -> int:
        info = self._run("pdfinfo", str(path))
        return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))

    def text(self, path: Path, page: int | None = None) -> str:
        """Text with all whitespace removed, so where lines wrap does not matter."""
        pages = ["-f", str(page), "-l", str(page)] if page else []
        return "".join(self._run("pdftotext", *pages, str(path), "-").split())

    def fonts(self, path: Path) -> list[list[str]]:
        """pdffonts rows split into columns (name, type…, emb, sub, uni, object, gen)."""
        return [line.split() for line in self._run("pdffonts", str(path)).splitlines()[2:]]

    def png(self, path: Path, page: int = 1) -> Path:
        prefix = self.tmp_path / f"page{page}"
        self._run(
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(prefix),
        )
        return prefix.with_suffix(".png")

    @staticmethod
    def _run(*command: str) -> str:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def poppler(tmp_path: Path) -> Poppler:
    return Poppler(tmp_path)
