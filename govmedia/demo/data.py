"""The demo district: 菏泽市定陶区 with its 镇街 and 部门, all marked 示例 (is_demo).

Names follow the district's public structure; people are invented.
"""

TOWNSHIPS = [
    "天中街道",
    "滨河街道",
    "陈集镇",
    "冉堌镇",
    "张湾镇",
    "黄店镇",
    "孟海镇",
    "马集镇",
    "仿山镇",
    "半堤镇",
    "杜堂镇",
    "南王店镇",
]

DEPARTMENTS = [
    "区政府办公室",
    "区委宣传部",
    "区委网信办",
    "区发展和改革局",
    "区教育和体育局",
    "区公安分局",
    "区民政局",
    "区司法局",
    "区财政局",
    "区人力资源和社会保障局",
    "区自然资源局",
    "区住房和城乡建设局",
    "区交通运输局",
    "区水务局",
    "区农业农村局",
    "区商务局",
    "区文化和旅游局",
    "区卫生健康局",
    "区应急管理局",
    "区市场监督管理局",
    "区医疗保障局",
    "区行政审批服务局",
    "区统计局",
]

# (parent, name, type, supervised by the parent?)
SUB_UNITS = [
    ("区政府办公室", "区电子政务中心", "internal", False),
    ("区教育和体育局", "区第一实验小学", "direct", True),
    ("区教育和体育局", "区第一中学", "direct", True),
    ("区卫生健康局", "区人民医院", "subordinate", True),
    ("区卫生健康局", "区疾病预防控制中心", "direct", True),
    ("区文化和旅游局", "区图书馆", "direct", True),
    ("区农业农村局", "区农业技术推广中心", "subordinate", True),
    ("天中街道", "天中街道党政办公室", "internal", False),
    ("天中街道", "天中街道便民服务中心", "subordinate", True),
    ("陈集镇", "陈集镇综合执法办公室", "internal", False),
]

# A department abolished in the 2019 机构改革, so the registry has an abolished host to flag.
ABOLISHED = ("区粮食局", "2019年机构改革，职责划入区发展和改革局（示例）")

DEMO_PASSWORD = "Dingtao#2026"
# Base32, fixed so that the demo administrator's authenticator can be set up from the README.
ADMIN_TOTP_SECRET = "GOVMEDIADEMOADMINTOTPSECRETXYZAB"

# (username, name, org name, role)
USERS = [
    ("jiandu", "李监督", "区委网信办", "oversight"),
    ("tianzhong", "张天中", "天中街道", "unit_admin"),
    ("tianzhong_bianji", "赵小编", "天中街道", "editor"),
    ("tianzhong_shenhe", "钱审核", "天中街道", "reviewer"),
    ("chenji", "陈集管", "陈集镇", "unit_admin"),
    ("jiaoti", "孙教体", "区教育和体育局", "unit_admin"),
    ("weijian_shenhe", "周卫健", "区卫生健康局", "supervisor_reviewer"),
    # 区级审核 of the 发布申请 to the 政府网 account 定陶发布 (coordination_seed.py).
    ("quzhengfu_shenhe", "吴区审", "区政府办公室", "reviewer"),
]
