"""Time to render one filing form (three copies) as PDF and DOCX.

Target (issue 19): one PDF ≤ 300 ms after the first (fonts parsed once per process, the
subset built once per glyph set); the first pays for parsing the font.

.venv/bin/python bench/filing_pdf.py
"""

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govmedia.registry.documents import (
    FilingFormData,
    TeamMember,
    render_filing_docx,
    render_filing_pdf,
)  # noqa: E402


def sample(
    positioning: str = "发布天中街道政务信息，回应群众关切", notes: str = ""
) -> FilingFormData:
    member = TeamMember("李主任", "0530-2210001", "13805300001")
    return FilingFormData(
        district_name="菏泽市定陶区",
        filing_no="定陶新媒备〔2026〕第001号",
        unit_name="天中街道办事处",
        filed_on=date(2026, 11, 25),
        account_name="天中发布",
        handle="tianzhongfabu",
        platform="微信公众号",
        registrant="菏泽市定陶区天中街道办事处",
        registered_on=date(2026, 3, 2),
        kind="open",
        positioning=positioning,
        verified=True,
        operator="本单位",
        contact="张三 0530-2212021",
        notes=notes,
        principal=member,
        leader_in_charge=member,
        person_responsible=member,
        supervisor_name=None,
        office_name="区政府办公室",
    )


def timed(render, data, runs=7) -> tuple[float, float]:
    first_start = time.perf_counter()
    render(data)
    first = time.perf_counter() - first_start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render(data)
        times.append(time.perf_counter() - start)
    return first * 1000, statistics.median(times) * 1000


def main():
    cases = [
        ("normal form", sample()),
        ("500 + 1,000 characters", sample("功能定位" * 125, "说明事项" * 250)),
    ]
    print(f"{'document':<8}{'case':<26}{'first ms':>10}{'median ms':>11}")
    for name, render in (("PDF", render_filing_pdf), ("DOCX", render_filing_docx)):
        for label, data in cases:
            first, median = timed(render, data)
            print(f"{name:<8}{label:<26}{first:>10.0f}{median:>11.0f}")
            if name == "PDF":
                met = "met" if median <= 300 else "NOT met"
                print(f"target: PDF ({label}) <= 300 ms after the first: {median:.0f} ms, {met}")


if __name__ == "__main__":
    main()
