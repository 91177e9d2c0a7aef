"""Region resolution: (title, text, metadata) → region, one row per case, traps included."""

import pytest

from analytics.regions import divisions, resolve, short_form

CASES = [
    # id, title, body, meta, given, expected (province, city, district), level
    ("company_not_place", "市委副书记刘烁在安源区调研",
     "9月4日，刘烁来到安源区调研。在天津市金桥焊材集团股份有限公司萍乡分公司，刘烁察看了生产。",
     {}, {}, ("江西省", "萍乡市", "安源区"), "district"),
    ("person_not_place", "区领导一线督导项目建设",
     "10月18日，区委书记康峰深入安源区各重点项目现场。区委常委龙泉，副区长谢晖分别陪同督导。",
     {"origin": "安源区政府"}, {}, ("江西省", "萍乡市", "安源区"), "district"),
    ("not_names", None, "当好县区发展的火车头，为全市、全区发展贡献力量。", {}, {}, (None, None, None), "unknown"),
    ("visited_county", "扬州市委书记王进健赴高邮市调研",
     "6月3日，扬州市委书记王进健赴高邮市调研。高邮要勇挑大梁，为扬州发展多作贡献。高邮湖畔。",
     {}, {}, ("江苏省", "扬州市", "高邮市"), "district"),
    ("zone_alias", None, "10月8日，区委书记何党生在茶亭经开区调研工业项目。", {}, {},
     ("江西省", "上饶市", "广信区"), "district"),
    ("bare_homonym", None, "近日，鼓楼区召开会议，部署老旧小区改造工作。鼓楼区各街道参加。", {}, {},
     (None, None, None), "ambiguous"),
    ("homonym_with_city", None, "近日，南京市鼓楼区召开会议。南京各区参加，鼓楼区作交流发言。", {}, {},
     ("江苏省", "南京市", "鼓楼区"), "district"),
    ("homonym_other_city", None, "福州市鼓楼区召开会议。鼓楼区各街道参加，福州市领导出席。", {}, {},
     ("福建省", "福州市", "鼓楼区"), "district"),
    ("chaoyang_beijing", None, "北京市朝阳区召开发展大会，朝阳区区长作报告。", {}, {},
     ("北京市", "北京市", "朝阳区"), "district"),
    ("chaoyang_changchun", None, "长春市朝阳区召开发展大会，朝阳区区长作报告。", {}, {},
     ("吉林省", "长春市", "朝阳区"), "district"),
    ("given_wins", None, "萍乡市委书记在安源区调研。", {}, {"province": "江苏省", "city": "扬州市"},
     ("江苏省", "扬州市", None), "city"),
    ("issuer_district", "上海市静安区人民政府办公室关于转发区发展改革委若干意见的通知",
     "区政府各委、办、局，各街道办事处：现转发给你们。上海市人民政府有关规定。", {}, {},
     ("上海市", "上海市", "静安区"), "district"),
    ("issuer_province", "河北省人民政府办公厅关于同意秦皇岛至唐山高速公路秦皇岛段设置收费站的复函",
     "省交通运输厅：秦皇岛至唐山高速公路秦皇岛段，唐山段，秦皇岛。", {}, {}, ("河北省", None, None), "province"),
    ("addressees_province", "关于做好春耕工作的通知",
     "各设区市人民政府：石家庄市、唐山市、石家庄市要做好春耕。河北省农业农村厅。石家庄市。", {}, {},
     ("河北省", None, None), "province"),
    ("central_issuer", "科技部关于印发《国家科学技术奖提名办法》的通知",
     "各省、自治区、直辖市科技厅：北京市、上海市。", {}, {}, (None, None, None), "national"),
    ("dateline_is_not_the_subject", None,
     "新华社北京6月3日电 扬州市委书记王进健赴高邮市调研。高邮要勇挑大梁。", {}, {},
     ("江苏省", "扬州市", "高邮市"), "district"),
    ("mainland_before_taiwan", "金山区人民政府办公室转发区建设交通委《公共交通场站管理办法》的通知",
     "各镇人民政府、街道办事处：现转发给你们。", {}, {}, ("上海市", "上海市", "金山区"), "district"),
    ("autonomous_region_full_name", None, "呼和浩特市委书记在赛罕区调研，赛罕区要加快发展。", {}, {},
     ("内蒙古自治区", "呼和浩特市", "赛罕区"), "district"),
    ("signature_names_the_issuer", "关于印发《临时停车场开业备案用地核查流程》的通知",
     "街道各部门、居民区：现印发给你们。\n上海市浦东新区人民政府洋泾街道办事处\n2024年11月20日\n"
     "根据上海市道路运输管理局《关于修订印发<公共停车场（库）经营备案指南>的通知》（沪道运审〔2023〕1号），"
     "上海市临时停车场经营条件评估，上海市有关规定。", {}, {}, ("上海市", "上海市", "浦东新区"), "district"),
    ("street_is_not_the_place", "广灵二路站工程建设项目房屋征收补助办法",
     "广灵二路石油新村5-7号、广灵二路40号。虹口区房屋征收事务所。", {}, {},
     ("上海市", "上海市", "虹口区"), "district"),
    ("superiors_cited_documents_count_less", "静安区公共租赁住房申请供应和租后管理办法",
     "为加强本区公共租赁住房的管理，根据《上海市发展公共租赁住房的实施意见》（沪房规范〔2021〕5号）、"
     "《上海市公共租赁住房管理办法》（沪府令〔2019〕2号）和《上海市住房保障条例》，结合静安区实际，制定本办法。",
     {}, {}, ("上海市", "上海市", "静安区"), "district"),
    ("own_province_cited_still_counts", "《河北省高新技术产品认定实施细则》解读",
     "为落实省委要求，省科技厅制定了《河北省高新技术产品认定实施细则》。" + "一、编制背景。" * 20
     + "北京、天津、安徽已开展认定。",
     {}, {}, ("河北省", None, None), "province"),
    ("town_names_its_district", "塘桥街道工程建设项目管理办法",
     "为进一步规范街道工程建设项目管理，结合街道实际情况，特制定本管理办法。", {}, {},
     ("上海市", "上海市", "浦东新区"), "district"),
    ("shared_town_with_context", "罗店镇政府投资项目管理办法",
     "根据《上海市市级建设财力项目财务监理管理办法》，结合本镇实际，制定本办法。", {}, {},
     ("上海市", "上海市", "宝山区"), "district"),
    ("shared_town_without_context", None, "罗店镇召开会议，部署春耕工作。罗店镇各村参加。", {}, {},
     (None, None, None), "ambiguous"),
    ("village_word_is_not_a_town", None, "推进幸福乡村建设，打造美丽乡村，弘扬文明乡风。", {}, {},
     (None, None, None), "unknown"),
    ("carbon_neutrality_is_not_a_district", "科技支撑碳达峰碳中和实施方案政策解读",
     "做好科技支撑碳达峰碳中和工作，推进碳中和。", {}, {}, (None, None, None), "unknown"),
    ("towards_towns_is_not_a_town", None, "推动农业转移人口向城镇集聚，中西部地区加快发展。", {}, {},
     (None, None, None), "unknown"),
    ("site_alias", None, "记者从有关部门获悉，全市项目建设稳步推进。", {"site": "萍乡城事网"}, {},
     ("江西省", "萍乡市", None), "city"),
]


@pytest.mark.parametrize(("case", "title", "body", "meta", "given", "expected", "level"), CASES,
                         ids=[c[0] for c in CASES])
def test_resolve(case, title, body, meta, given, expected, level):
    result = resolve(title, body, meta, given)
    assert (result.province, result.city, result.district) == expected
    assert result.level == level
    if level == "ambiguous":
        assert len(result.candidates) >= 2
    if level not in ("unknown",):
        assert result.evidence


def test_ambiguous_lists_candidates_with_full_names():
    result = resolve(None, "鼓楼区召开会议。", {}, {})
    names = {c["name"] for c in result.candidates}
    assert {"江苏省/南京市/鼓楼区", "福建省/福州市/鼓楼区"} <= names


def test_towns_are_mentioned_by_their_own_name():
    result = resolve("塘桥街道工程建设项目管理办法", "塘桥街道各部门：浦东新区有关规定。", {}, {})
    assert result.mentioned == {"塘桥街道": 2, "浦东新区": 1}


def test_mentioned_regions_counts_every_place():
    result = resolve("扬州市委书记王进健赴高邮市调研", "高邮要勇挑大梁，为扬州发展多作贡献。", {}, {})
    assert result.mentioned == {"高邮市": 2, "扬州市": 2}


@pytest.mark.parametrize(
    ("name", "short"),
    [("萍乡市", "萍乡"), ("高邮市", "高邮"), ("广西壮族自治区", "广西"), ("内蒙古自治区", "内蒙古"),
     ("延边朝鲜族自治州", "延边"), ("恩施土家族苗族自治州", "恩施"), ("香港特别行政区", "香港"),
     ("沛县", None), ("江西省", "江西")],
)
def test_short_form(name, short):
    from analytics.regions import _nations

    assert short_form(name, _nations()) == short


def test_division_table_is_current():
    div = divisions()
    names = {u.name for u in div.units.values()}
    assert {"临平区", "钱塘区", "莱芜区"} <= names
    assert "莱芜市" not in names  # merged into 济南市 in 2019
    assert div.units["360302"].name == "安源区"
    assert div.path("321084") == ("江苏省", "扬州市", "高邮市")
    assert div.path("310106") == ("上海市", "上海市", "静安区")


def test_region_rules_file_is_read_as_intended():
    from analytics.regions import document_rules

    rules = document_rules()
    assert all(len(k) == 1 for k in rules.abbreviations) and rules.abbreviations["冀"] == "河北省"
    assert "新建" in rules.short_form_exclude  # 新建住宅 is not 新建区
    title = "上海市房屋管理局关于印发新建住宅交付使用许可规定实施细则的通知"
    assert resolve(title, "各有关单位：新建住宅。", {}, {}).province == "上海市"
