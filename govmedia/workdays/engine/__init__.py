"""Pure working-day calendar core (no Django): deadlines counted in 工作日.

Filing deadlines of 菏定政办发〔2019〕7号 (附件备注 1、2) are counted here: 7 working days
after an account is opened, 5 after it is changed, suspended or cancelled.
"""

from .dates import MAX_DATE, MIN_DATE
from .statutory import statutory_holidays
from .workday_calendar import MAX_WORKDAYS, MIN_WORKDAYS, Deadline, WorkdayCalendar

__all__ = [
    "MAX_DATE",
    "MAX_WORKDAYS",
    "MIN_DATE",
    "MIN_WORKDAYS",
    "Deadline",
    "WorkdayCalendar",
    "statutory_holidays",
]
