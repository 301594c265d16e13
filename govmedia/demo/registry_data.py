"""The demo registry: the 35 accounts of the notice's survey (微博 6, 微信 26, 抖音 2, 快手 1), all
in the register, and apart from them a few new accounts whose 开设 filings are in progress.

Survey rows: (host org, platform, account name, handle, verified, what happens to it). The
survey accounts were opened before the notice (菏定政办发〔2019〕7号, early 2019): each has an
opening date (注册时间) in 2013–2017, and its 开设 filing's 事项日期 is that date. Most are filed;
some were never filed (the inventory from the 历史台账); one has a 变更 waiting, one was 关停.

New rows (NEW_FILINGS): accounts opened in the last weeks, whose 开设 filing is a draft, overdue,
submitted, signed by the 主管单位 or returned; their 事项日期 and 注册时间 are the same recent day.

Together they give every page something to show, and the breaches the compliance page must find
(a unit with two WeChat accounts, an account of an abolished unit, one hosted by a 下属单位,
unverified accounts, accounts never filed, an overdue filing).
"""

from datetime import date, timedelta

FILED = "filed"  # 开设 filed
NEVER_FILED = "never_filed"  # in the inventory, no filing at all
CHANGE_SUBMITTED = "change_submitted"  # filed, then a 变更 waiting for the district office
SUSPENDED = "suspended"  # filed, then 关停 filed
# The stories of new accounts' 开设 filings.
DRAFT = "draft"  # saved as a draft, within its deadline
OVERDUE_DRAFT = "overdue_draft"  # a draft long past its 7 working days
SUBMITTED = "submitted"  # waiting for the district office
SUPERVISOR_APPROVED = "supervisor_approved"  # signed by the 主管单位, waiting for the district
RETURNED = "returned"  # 退回 with a reason

ACCOUNTS = [
    # 12 镇街: one WeChat account each.
    ("天中街道", "微信公众号", "天中发布", "dt_tianzhong", True, FILED),
    ("天中街道", "微博", "天中街道发布", "dt_tianzhong_wb", True, FILED),
    ("滨河街道", "微信公众号", "滨河街道发布", "dt_binhe", True, FILED),
    ("陈集镇", "微信公众号", "陈集镇发布", "dt_chenji", True, FILED),
    ("冉堌镇", "微信公众号", "冉堌发布", "dt_rangu", True, FILED),
    ("张湾镇", "微信公众号", "张湾镇人民政府", "dt_zhangwan", False, FILED),
    ("黄店镇", "微信公众号", "黄店发布", "dt_huangdian", True, FILED),
    ("孟海镇", "微信公众号", "孟海发布", "dt_menghai", True, FILED),
    ("马集镇", "微信公众号", "马集镇发布", "dt_maji", True, FILED),
    ("仿山镇", "微信公众号", "仿山发布", "dt_fangshan", True, FILED),
    ("半堤镇", "微信公众号", "半堤发布", "dt_bandi", True, FILED),
    ("杜堂镇", "微信公众号", "杜堂发布", "dt_dutang", False, NEVER_FILED),
    ("南王店镇", "微信公众号", "南王店发布", "dt_nanwangdian", True, FILED),
    # A 下属单位 with its own account (needs 特殊工作需要), filed after its 主管单位 signed.
    ("天中街道便民服务中心", "微信公众号", "天中便民服务", "dt_tianzhong_bm", True, FILED),
    # 部门
    ("区政府办公室", "微信公众号", "定陶发布", "dt_fabu", True, FILED),
    ("区政府办公室", "微博", "定陶发布", "dt_fabu_wb", True, FILED),
    ("区委宣传部", "微信公众号", "定陶宣传", "dt_xuanchuan", True, CHANGE_SUBMITTED),
    ("区委宣传部", "微博", "定陶宣传", "dt_xuanchuan_wb", True, FILED),
    ("区发展和改革局", "微信公众号", "定陶发改", "dt_fagai", True, FILED),
    ("区教育和体育局", "微信公众号", "定陶教体", "dt_jiaoti", True, FILED),
    ("区公安分局", "微信公众号", "定陶公安", "dt_gongan", True, FILED),
    # A second WeChat account of one unit: the 集约化 breach (第二部分（一）).
    ("区公安分局", "微信公众号", "定陶交警", "dt_jiaojing", True, NEVER_FILED),
    ("区公安分局", "微博", "定陶公安", "dt_gongan_wb", True, FILED),
    ("区公安分局", "抖音", "定陶公安", "dt_gongan_dy", True, FILED),
    ("区公安分局", "快手", "定陶公安", "dt_gongan_ks", True, FILED),
    ("区民政局", "微信公众号", "定陶民政", "dt_minzheng", True, FILED),
    ("区人力资源和社会保障局", "微信公众号", "定陶人社", "dt_renshe", True, SUSPENDED),
    ("区住房和城乡建设局", "微信公众号", "定陶住建", "dt_zhujian", False, FILED),
    ("区文化和旅游局", "微信公众号", "定陶文旅", "dt_wenlv", True, FILED),
    ("区文化和旅游局", "微博", "定陶文旅", "dt_wenlv_wb", True, FILED),
    ("区文化和旅游局", "抖音", "定陶文旅", "dt_wenlv_dy", True, FILED),
    ("区卫生健康局", "微信公众号", "健康定陶", "dt_weijian", True, FILED),
    ("区市场监督管理局", "微博", "定陶市场监管", "dt_shichang_wb", True, FILED),
    # A 下属单位 with its own account, filed after its 主管单位 (区卫生健康局) signed.
    ("区人民医院", "微信公众号", "定陶区人民医院", "dt_renmin_yiyuan", True, FILED),
    # The abolished 区粮食局 (2019 机构改革) still runs its WeChat account.
    ("区粮食局", "微信公众号", "定陶粮食", "dt_liangshi", False, NEVER_FILED),
]

SURVEY = {"微博": 6, "微信公众号": 26, "抖音": 2, "快手": 1}
# Before the notice of early 2019: the survey found these accounts already open.
FIRST_OPENED = date(2013, 6, 3)
OPENING_STEP_DAYS = 47


def opened_on(index: int) -> date:
    """The survey account's opening date (注册时间 and its 开设 filing's 事项日期), 1-based index."""
    return FIRST_OPENED + timedelta(days=OPENING_STEP_DAYS * (index - 1))


# New accounts opened after the survey, 开设 filing in progress: (host org, platform, name,
# handle, verified, story, opened how many days ago). The 下属单位 区人民医院 needs its 主管单位's
# signature first.
NEW_FILINGS = [
    ("陈集镇", "抖音", "陈集镇发布", "dt_chenji_dy", True, RETURNED, 6),
    ("张湾镇", "微博", "张湾发布", "dt_zhangwan_wb", False, OVERDUE_DRAFT, 40),
    ("孟海镇", "抖音", "孟海发布", "dt_menghai_dy", True, SUBMITTED, 4),
    ("仿山镇", "快手", "仿山发布", "dt_fangshan_ks", True, DRAFT, 2),
    ("区人民医院", "抖音", "定陶区人民医院", "dt_renmin_yiyuan_dy", True, SUPERVISOR_APPROVED, 5),
]
