//! Words for plausible names: companies, people and the agencies cadres work for.

use super::rng::Rng;

/// Trade names, as registered companies in Henan often have them.
const BRANDS: &[&str] = &[
    "恒达",
    "鑫源",
    "华泰",
    "金丰",
    "瑞祥",
    "宏远",
    "兴隆",
    "永盛",
    "天和",
    "德润",
    "嘉禾",
    "豫丰",
    "润泽",
    "盛世",
    "众诚",
    "博远",
    "东方",
    "新大地",
    "华丰",
    "金穗",
    "银河",
    "中兴",
    "福瑞",
    "康达",
    "顺发",
    "万通",
    "宏福",
    "景辉",
    "利民",
    "昌盛",
    "隆基",
    "新科",
    "益农",
    "华夏",
    "天瑞",
    "豫龙",
    "金沙",
    "龙腾",
    "佳美",
    "安泰",
];

/// Industries, each with the words a company of that trade puts in its name.
pub const INDUSTRIES: &[(&str, &[&str])] = &[
    ("食品加工", &["食品", "面业", "肉制品", "调味品"]),
    ("纺织服装", &["纺织", "服饰", "制衣"]),
    ("装备制造", &["机械", "重工", "装备制造"]),
    ("化工新材料", &["化工", "新材料"]),
    ("生物医药", &["药业", "生物科技"]),
    ("电子信息", &["电子", "科技", "智能科技"]),
    ("现代农业", &["农业", "种业", "牧业", "农产品"]),
    ("建材", &["建材", "新型建材"]),
    ("现代物流", &["物流", "供应链管理"]),
    ("商贸流通", &["商贸", "贸易"]),
    ("新能源", &["新能源", "光伏科技"]),
    ("文化旅游", &["文化旅游", "文化传媒"]),
];

/// Company forms, the common ones more often.
const FORMS: &[&str] = &[
    "有限公司",
    "有限公司",
    "有限公司",
    "有限责任公司",
    "股份有限公司",
    "集团有限公司",
];

/// A department of a promotion centre's roster: its name at a city or county (after the
/// place's name, 周口市自然资源和规划局) and at the province (河南省自然资源厅), whether counties
/// have one, and the categories of demand it handles.
pub struct Bureau {
    pub local: &'static str,
    pub provincial: &'static str,
    pub in_counties: bool,
    pub categories: &'static [&'static str],
}

const fn bureau(
    local: &'static str,
    provincial: &'static str,
    categories: &'static [&'static str],
) -> Bureau {
    Bureau {
        local,
        provincial,
        in_counties: true,
        categories,
    }
}

/// The roster every government of the programme has: every category is handled at every level,
/// finance at a county by its 财政局 alone (the financial regulator sits at the city and above).
pub const ROSTER: &[Bureau] = &[
    bureau(
        "发展和改革委员会",
        "发展和改革委员会",
        &["policy", "energy", "infrastructure"],
    ),
    bureau(
        "工业和信息化局",
        "工业和信息化厅",
        &["policy", "energy", "other"],
    ),
    bureau("自然资源和规划局", "自然资源厅", &["land"]),
    bureau("商务局", "商务厅", &["market"]),
    bureau("财政局", "财政厅", &["policy", "finance"]),
    bureau(
        "人力资源和社会保障局",
        "人力资源和社会保障厅",
        &["employment"],
    ),
    bureau("市场监督管理局", "市场监督管理局", &["market", "approval"]),
    bureau("生态环境局", "生态环境厅", &["approval"]),
    bureau(
        "住房和城乡建设局",
        "住房和城乡建设厅",
        &["infrastructure", "approval"],
    ),
    bureau("科学技术局", "科学技术厅", &["policy"]),
    bureau("农业农村局", "农业农村厅", &["policy", "land"]),
    bureau("交通运输局", "交通运输厅", &["infrastructure"]),
    bureau("税务局", "税务局", &["policy"]),
    bureau("行政审批服务局", "政务服务和大数据管理局", &["approval"]),
    bureau("司法局", "司法厅", &["legal"]),
    bureau("供电公司", "电力公司", &["energy"]),
    Bureau {
        in_counties: false,
        ..bureau("地方金融监督管理局", "地方金融监督管理局", &["finance"])
    },
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "华", "建", "国", "红", "志", "文", "斌", "鹏", "晓", "宇",
];

/// A place name without its administrative suffix, as company names use it: 郸城县 → 郸城.
pub fn short_place(name: &str) -> &str {
    ["经济技术开发区", "开发区", "自治县", "县", "区", "市", "省"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .filter(|short| short.chars().count() >= 2)
        .unwrap_or(name)
}

/// A company name: place, trade name, trade words, form (周口恒达食品有限公司).
pub fn company(rng: &mut Rng, place: &str, trade_words: &[&str]) -> String {
    format!(
        "{place}{}{}{}",
        rng.pick(BRANDS),
        rng.pick(trade_words),
        rng.pick(FORMS)
    )
}

/// A person's name: a surname and one or two given characters.
pub fn person(rng: &mut Rng) -> String {
    let mut name: String = [*rng.pick(SURNAMES), *rng.pick(GIVEN)].concat();
    if rng.chance(60) {
        let second = *rng.pick(GIVEN);
        name.push_str(second);
    }
    name
}

/// A mobile number (11 digits, 13x/15x/18x).
pub fn mobile(rng: &mut Rng) -> String {
    format!(
        "1{}{:09}",
        rng.pick(&["3", "5", "8"]),
        rng.below(1_000_000_000)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_lose_their_suffix_but_not_their_name() {
        assert_eq!(short_place("郸城县"), "郸城");
        assert_eq!(short_place("周口市"), "周口");
        assert_eq!(short_place("周口临港开发区"), "周口临港");
        assert_eq!(short_place("新区"), "新区");
    }
}
