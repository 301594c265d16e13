"""政务 articles as an editor submits them for review, and the light edits a repost makes.

Paragraphs are separated by blank lines; the texts are fictional but shaped like the district's
own notices, policy explainers and meeting reports.
"""

import re

HEATING_NOTICE = """关于做好2025—2026年度冬季供暖工作的通知

各镇人民政府、街道办事处，区直有关部门，各供热企业：

为切实保障群众温暖过冬，根据《菏泽市城市供热管理办法》有关规定，经区政府同意，现就做好本年度冬季供暖工作通知如下。

一、供暖时间。本年度城区集中供暖期为2025年11月15日至2026年3月15日，共计121天。各供热企业应于11月1日前完成管网注水试压，11月10日起进行试运行，遇寒潮天气可视情况提前供暖。

二、室温标准。供暖期间，居民住宅卧室、起居室室内温度不得低于18℃。供热企业要加强对老旧小区、独居老人家庭的室温抽测，发现不达标的要在24小时内查明原因、整改到位。

三、收费政策。居民供暖费按建筑面积每平方米每个采暖期22元收取，低保户、特困供养人员凭有效证件享受减半收费优惠。任何单位不得擅自提高收费标准或者搭车收费。

四、服务保障。各供热企业要公开服务承诺，设立24小时报修电话，实行首问负责制。区住房和城乡建设局设立供暖监督热线0530-2221234，对群众反映的问题实行台账管理，限时办结。

五、安全管理。各供热企业要落实安全生产主体责任，储备不少于15天用量的燃煤和天然气，制定极端天气应急预案，确保供暖期间不发生大面积停暖事故。

请各单位高度重视，加强协调配合，确保本年度供暖工作平稳有序。

定陶区住房和城乡建设局
2025年10月20日"""

POLICY_EXPLAINER = """《定陶区支持中小企业高质量发展若干措施》政策解读

近日，区政府印发《定陶区支持中小企业高质量发展若干措施》（以下简称《措施》），现就有关内容解读如下。

一、出台背景。中小企业是稳增长、促就业、惠民生的重要力量。为贯彻落实国家和省、市关于促进中小企业发展的决策部署，进一步优化营商环境，激发市场主体活力，区工业和信息化局会同有关部门研究起草了《措施》。

二、主要内容。《措施》共12条，从财政支持、融资服务、创新发展、人才引进四个方面提出具体举措。对首次认定的国家级专精特新“小巨人”企业，给予一次性奖励50万元；对首次认定的省级专精特新企业，给予一次性奖励10万元。企业新购置研发设备的，按实际投资额的百分之五给予补助，单个企业最高不超过100万元。

三、融资支持。设立2000万元中小企业应急转贷资金，为符合条件的企业提供短期周转，转贷资金使用费率按日万分之一收取。对银行机构新增中小企业贷款，按新增额的1%给予风险补偿。

四、人才引进。企业新引进全日制博士研究生的，三年内每人每月给予3000元生活补贴；新引进全日制硕士研究生的，每人每月给予1500元生活补贴。

五、申报方式。符合条件的企业可登录“爱山东”政务服务平台提交申请，区工业和信息化局会同区财政局在收到申请后15个工作日内完成审核，审核结果在区政府网站公示5个工作日。

《措施》自2025年1月1日起施行，有效期3年。具体问题可咨询区工业和信息化局中小企业服务中心。"""

MEETING_REPORT = """区政府召开第十二次常务会议研究部署冬春农田水利建设等工作

12月5日上午，区政府召开第十二次常务会议，副区长张建国主持会议，区政府办公室、区水务局、区农业农村局、区财政局等部门主要负责同志参加会议。

会议听取了全区冬春农田水利基本建设工作情况汇报。会议指出，农田水利是农业稳产增产的基础，各镇街要把冬春农田水利建设作为当前重点工作，统筹推进高标准农田建设、小型水库除险加固和农村供水保障工程，确保明年汛期前全部完工并投入使用。

会议研究了2026年度高标准农田建设项目资金安排。会议决定，统筹整合涉农资金3000万元，用于新建高标准农田2.5万亩，重点支持陈集镇、黄店镇、冉堌镇等粮食主产区。区财政局要加快资金拨付进度，区农业农村局要严格项目监管，确保资金使用安全高效。

会议还研究了全区冬季安全生产工作。会议要求，各有关部门要深入开展安全生产隐患排查整治，聚焦燃气、消防、道路交通等重点领域，对发现的隐患建立台账、挂牌督办、限期整改，坚决防范遏制重特大事故发生。

会议强调，岁末年初各项工作任务繁重，各级各部门要坚持问题导向，压实工作责任，以时不我待的紧迫感推动各项工作落地见效。"""

# Unrelated to all three: a notice about civilised-city work.
CIVILISED_CITY = """定陶区开展“文明城市共建共享”志愿服务活动

为深入推进全国文明城市创建工作，营造人人参与、人人共享的良好氛围，近日，区文明办组织全区各级志愿服务组织开展“文明城市共建共享”主题志愿服务活动。

活动期间，志愿者们走上街头，在主要路口开展文明交通劝导，引导市民自觉遵守交通规则；走进老旧小区，清理楼道杂物和卫生死角，张贴文明宣传标语；走进社区广场，为居民提供义诊、法律咨询、家电维修等便民服务。

活动现场还设置了“文明实践积分兑换”摊位，市民参与志愿服务、文明劝导等活动可累积积分，凭积分兑换洗衣液、毛巾、雨伞等生活用品，吸引了不少居民驻足参与。不少参加活动的年轻志愿者表示，志愿服务让自己对这座城市有了更深的感情。

区文明办有关负责人表示，文明城市创建离不开每一位市民的参与。下一步，将持续推进志愿服务常态化、制度化，完善志愿者招募、培训、激励机制，引导广大群众从身边小事做起，争做文明市民，共建美好家园。"""

SHORT_WEIBO = """【停水通知】因供水管网维修，12月9日8:00至18:00，兴华路以东、陶朱公路以北区域暂停供水，请相关居民提前做好储水准备。给您带来的不便敬请谅解。咨询电话：0530-2225678。"""


def paragraphs(text: str) -> list[str]:
    return [block for block in re.split(r"\n\s*\n", text) if block.strip()]


def joined(blocks: list[str]) -> str:
    return "\n\n".join(blocks)


def as_html(text: str) -> str:
    """The text as a WeChat article body: a <section> of styled <p>s, with entities."""
    body = "".join(
        f'<p style="text-indent:2em;"><span style="font-size:15px;">{block.replace("“", "&ldquo;").replace("”", "&rdquo;")}</span></p>'
        for block in paragraphs(text)
    )
    return f'<section data-role="outer"><!-- 135editor -->{body}<p><br/></p></section>'


def with_prefix(text: str, prefix: str = "【天中发布】") -> str:
    return prefix + text


def with_source_line(text: str, source: str = "来源：定陶区人民政府") -> str:
    return text + "\n\n" + source


def with_emoji(text: str) -> str:
    first, *rest = paragraphs(text)
    return joined([first + " 🔥📢", *rest])


def with_width_swapped(text: str) -> str:
    """Chinese punctuation to ASCII and ASCII digits to full width, as some editors do."""
    table = str.maketrans("，。：；（）！？", ",.:;()!?")
    table.update({ord(digit): chr(ord(digit) + 0xFEE0) for digit in "0123456789"})
    return text.translate(table)


def with_paragraphs_swapped(text: str, first: int, second: int) -> str:
    blocks = paragraphs(text)
    blocks[first], blocks[second] = blocks[second], blocks[first]
    return joined(blocks)


def without_last_paragraph(text: str) -> str:
    return joined(paragraphs(text)[:-1])


def replaced(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"“{old}” should occur once"
    return text.replace(old, new)
