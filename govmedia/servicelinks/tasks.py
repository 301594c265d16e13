"""The scheduled sweep of 掌上办事入口 (schedules.py): check every link that is due."""

import logging

from .checking import check_links_now

logger = logging.getLogger(__name__)


def check_due_links() -> dict:
    run = check_links_now()
    if run.checked:
        logger.info(
            "办事入口检查：%s 个，异常 %s 个，新开整改 %s 个", run.checked, run.broken, run.opened
        )
    return {"checked": run.checked, "broken": run.broken, "opened": run.opened}
