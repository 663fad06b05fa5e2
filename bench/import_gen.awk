# SPDX-License-Identifier: MIT
# Writes an import CSV (docs/import.md) of n households of two members
# each (applicant and spouse), with valid and distinct ID numbers, all in
# one village: awk -v n=1000 -f bench/import_gen.awk > households.csv
BEGIN {
    split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
    split("1 0 X 9 8 7 6 5 4 3 2", cc, " ")
    print "户编号,与申请人关系,姓名,公民身份号码,现居住地区划代码,户籍地区划代码,城乡,现居住地址,残疾类别,残疾等级,残疾证号,重病,劳动能力,就学,就业,工资性收入（元/月）,经营净收入（元/月）,财产净收入（元/月）,转移性收入（元/月）,转移性支出（元/月）,刚性支出（元/月）"
    v = "500103001003"
    for (h = 0; h < n; h++) {
        printf "G%d,申请人,居民%d甲,%s,%s,%s,城镇,,,,,否,完全,高中,是,%d.%02d,,,,,\n", h, h, id(2 * h), v, v, 1000 + h % 3000, h % 100
        printf "G%d,配偶,居民%d乙,%s,%s,%s,城镇,,,,,否,部分,义务教育,否,,,,120.00,,\n", h, h, id(2 * h + 1), v, v
    }
}
# the i-th distinct ID number: seq from i, a birth date from i / 1000
function id(i,    seq, rest, d, m, y, s, t, k) {
    seq = i % 1000
    rest = int(i / 1000)
    d = rest % 28 + 1
    rest = int(rest / 28)
    m = rest % 12 + 1
    y = 1930 + int(rest / 12)
    s = sprintf("500103%04d%02d%02d%03d", y, m, d, seq)
    t = 0
    for (k = 1; k <= 17; k++)
        t += substr(s, k, 1) * w[k]
    return s cc[t % 11 + 1]
}
