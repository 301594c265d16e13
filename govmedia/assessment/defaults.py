"""The platform's default rubric for 政务新媒体: a starting point the district office adjusts.

Built from what the project could confirm (REFERENCE.md), not from the national table itself,
whose exact sub-item wording and points are not in the project: the points below are the
platform's proposal, marked as such in `BASIS`, for the district office to set.
"""

from decimal import Decimal

from . import rules
from .models import Method, Part

NAME = "政务新媒体检查指标（平台默认）"
SOURCE_DOC = "国办秘函〔2019〕19号"
BONUS_CAP = Decimal(20)
BASIS = (
    "依据的事实：国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》分单项否决、扣分、加分三部分；"
    "存在单项否决问题的直接判定为不合格，不再计分；扣分部分满分100分，低于60分为不合格，"
    "单项指标扣分不超过该指标总分；扣分部分高于80分的，再计加分（加分部分满分20分或30分）。"
    "政务新媒体单项否决项：安全、泄密事故等严重问题，内容不更新（检查以“监测时间点前2周内无更新”判定），"
    "互动回应差（含未提供有效互动功能）；购买粉丝、强制点赞等弄虚作假的按单项否决处理。"
    "扣分项取自已公开的检查通报：内容更新不及时、功能无法使用（菜单、链接）、商业广告信息、"
    "账号主体与开办单位不一致、应注销未注销、转载任务未完成、留言答复超期。"
    "各项分值为平台拟定的初始值，未见于国家指标原文，请区政府办公室按省、市细则调整。"
    "“互动回应差”“留言答复超期”由平台的互动留言记录自动评价，“功能无法使用”由掌上办事入口的定时检查"
    "自动评价；平台外（如私信）的互动情况由检查人补充。"
)

# (part, wording, points per occurrence, cap, rule or "" for manual, evidence)
ITEMS = (
    (
        Part.VETO,
        "安全、泄密事故等严重问题（含发布严重错误表述、有害信息）",
        0,
        0,
        rules.SERIOUS_FINDINGS,
        "存在问题的已发布内容及其截图、链接",
    ),
    (
        Part.VETO,
        "内容不更新：监测时间点前2周内无更新",
        0,
        0,
        rules.NO_UPDATE,
        "最近一次更新的日期与采集记录",
    ),
    (
        Part.VETO,
        "互动回应差：未提供有效互动功能，或长期未回应网民留言",
        0,
        0,
        rules.INTERACTION_POOR,
        "互动功能截图、留言及回应记录",
    ),
    (Part.VETO, "弄虚作假：购买粉丝、强制点赞等", 0, 0, "", "相关证明材料"),
    (Part.DEDUCT, "内容更新不及时", 5, 20, "", "更新记录截图"),
    (
        Part.DEDUCT,
        "功能无法使用：菜单、链接等无法正常使用",
        2,
        10,
        rules.SERVICE_LINKS_BROKEN,
        "菜单、链接的截图与访问结果",
    ),
    (
        Part.DEDUCT,
        "发布、转发商业广告信息，或与本单位职能无关的信息",
        5,
        15,
        "",
        "相关内容截图、链接",
    ),
    (Part.DEDUCT, "账号主体与开办单位不一致", 10, 10, rules.SUBJECT_MISMATCH, "平台登记的注册主体"),
    (Part.DEDUCT, "应注销未注销", 10, 10, rules.SHOULD_CANCEL, "机构调整情况与账号状态"),
    (Part.DEDUCT, "未备案或逾期未备案", 10, 10, rules.UNFILED, "备案记录"),
    (Part.DEDUCT, "未经审核发布", 5, 15, rules.UNAPPROVED_POSTS, "未匹配审核稿件的已发布内容"),
    (Part.DEDUCT, "转载任务未完成", 2, 10, rules.REPOST_MISSING, "转载任务及完成情况"),
    (Part.DEDUCT, "留言答复超期", 2, 10, rules.REPLY_OVERDUE, "超期留言及答复时间"),
    (Part.BONUS, "积极转载、集体发声，传播效果好", 5, 10, "", "转载记录与传播数据"),
    (Part.BONUS, "提供便民服务、政务服务功能实用", 5, 10, "", "服务功能截图、链接"),
)


def items() -> list[dict]:
    return [
        {
            "part": part,
            "position": position,
            "wording": wording,
            "points": Decimal(points),
            "cap": Decimal(cap),
            "method": Method.AUTOMATIC if rule else Method.MANUAL,
            "rule": rule,
            "evidence": evidence,
        }
        for position, (part, wording, points, cap, rule, evidence) in enumerate(ITEMS, start=1)
    ]
