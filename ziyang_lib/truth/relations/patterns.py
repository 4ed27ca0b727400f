"""The shapes of the relations a government text states, as regexes over the coded text.

Placeholders (`coding`): Y a year, R a year range, N a quantity, P a percentage; GAP is any
other character inside the sentence. A shape names its operands as groups; words that would
make the arithmetic ambiguous (实际 real growth, 扣除价格因素 price-adjusted) make the rules
leave the relation out.
"""

from __future__ import annotations

import re

from ziyang_lib.truth.relations.coding import ANY, GAP, N, P, Q, R, Y

_RISE = "增加|增长|提高|上升|提升|增|升"
_FALL = "减少|下降|降低|降|减"
_MOVE = f"{_RISE}|{_FALL}"
_TO = "(?:到|至|为)"
_AT = "(?:底|末)?的?"
_YEARLY = "(?:年均|平均每年|每年平均)"

#: from X in year A to Y in year B, at r% a year.
GROWTH = (
    re.compile(
        f"(?:从|由)(?P<y0>{Y}){_AT}(?P<x0>{N}){GAP}{{0,4}}?(?P<w>{_MOVE}){_TO}?"
        f"(?P<y1>{Y}){_AT}(?P<x1>{N})(?P<gap>{GAP}{{0,10}}?){_YEARLY}(?:名义)?"
        f"(?P<w2>增长|增幅|增速|递增|提高|下降|降幅|减少)(?:了|为|达到|达)?(?P<r>{P})"
    ),
    re.compile(
        f"(?P<rng>{R}){GAP}{{0,24}}?(?:从|由)(?P<x0>{N}){GAP}{{0,4}}?(?P<w>{_MOVE}){_TO}?"
        f"(?P<x1>{N})(?P<gap>{GAP}{{0,10}}?){_YEARLY}(?:名义)?"
        f"(?P<w2>增长|增幅|增速|递增|提高|下降|降幅|减少)(?:了|为|达到|达)?(?P<r>{P})"
    ),
)
#: Words that make a stated rate something the stated values cannot give (a real rate).
NOT_NOMINAL = re.compile("实际|扣除价格|可比价|不变价")

#: from X to Y, a stated fall or rise of Z.
CHANGE = re.compile(
    f"(?:从|由)(?:(?P<y0>{Y}){_AT})?(?P<x0>{Q}){GAP}{{0,4}}?(?P<w>{_MOVE}){_TO}"
    f"(?:(?P<y1>{Y}){_AT})?(?P<x1>{Q})[，,]?(?:累计|共计|合计|总计|共|同比)?(?P<w2>{_MOVE})了?"
    f"(?P<z>{Q})"
)
#: Y, up or down Z on the year before, a change of p%.
CHANGE_ON_PREVIOUS = re.compile(
    f"(?P<y>{N})[，,]?{GAP}{{0,2}}?(?:比|较)(?:上年|去年|上一年|前一年|上年同期|同期)[末底]?"
    f"(?P<w>{_MOVE})了?(?P<z>{N})[，,]{GAP}{{0,3}}?(?P<w2>{_MOVE})了?(?P<p>{P})"
)

#: a total over N years (N年来, 近N年, 过去N年 or a year range) and its yearly average.
PER_YEAR = re.compile(
    f"(?:(?:近|过去|这)?(?P<n>{N})(?:以来|来|间|中|里)?|(?P<rng>{R})){GAP}{{0,30}}?"
    f"(?:累计|共|合计|总计|总共){GAP}{{0,14}}?(?P<tot>{N}){GAP}{{0,12}}?"
    f"{_YEARLY}{GAP}{{0,10}}?(?P<avg>{N})"
)
#: from year A to year B (由A年…减少至B年…), a total change and its yearly average.
PER_YEAR_SPAN = re.compile(
    f"(?:从|由)(?P<y0>{Y}){ANY}{{0,20}}?(?:到|至)(?P<y1>{Y}){ANY}{{0,20}}?"
    f"(?:累计|共计|合计|总计|共|{_MOVE}){GAP}{{0,6}}?(?P<tot>{N})[，,]?"
    f"(?:平均每年|年均|每年平均){GAP}{{0,10}}?(?P<avg>{N})"
)
#: from X in year A to Y in year B, on average Z a year (由A年的X减少到B年的Y，年均减少Z).
PER_YEAR_CHANGE = re.compile(
    f"(?:从|由)(?P<y0>{Y}){_AT}(?P<x0>{N}){GAP}{{0,4}}?(?P<w>{_MOVE}){_TO}?"
    f"(?P<y1>{Y}){_AT}(?P<x1>{N})[，,]?(?:平均每年|年均|每年平均)(?P<w2>{_MOVE})"
    f"{GAP}{{0,6}}?(?P<avg>{N})"
)

#: a total and 其中 (of which) its parts.
OF_WHICH = re.compile(f"(?P<tot>{N}){GAP}{{0,4}}?[，,]?其中[，,：:]?")
#: a total and 中 (among): 全市23.6万建档立卡贫困人口中，… A noun between, no verb or clause.
AMONG = re.compile(f"(?P<tot>{N})(?P<noun>[^{Y}{R}{N}{P}，,。；;：:！？!?\n]{{0,10}}?)中[，,：:]")
#: Words that end in 中 without meaning "among" (集中, 工作中 …), and words no noun holds.
NOT_AMONG_BEFORE = "集其之当程作家国空心手途动"
NOT_A_NOUN = re.compile("[的了在把将对向从由为是]")
#: a total followed by parts done and remaining (86个贫困村，已退出79个，剩余7个).
THEN_PARTS = re.compile(f"(?P<tot>{N})[，,：:]")
#: A clause that names the rest of a total: the parts then claim to exhaust it.
REMAINDER = re.compile("剩余|尚有|还有|其余|余下|仍有|尚未|未")
DONE = re.compile("已")
#: A time frame (近55年…, 五年来…) and the years in it that something happened (有43年).
FRAME = re.compile(f"(?P<tot>{N})(?:以来|来|间|中|里)?")
FRAME_PART = re.compile(f"(?:有|达)(?P<part>{N})")
#: Separators between the clauses that list parts.
CLAUSE_SEP = re.compile("[，,、：:]")
#: A clause about a change, not a part (比上年增加…).
CHANGE_WORDS = re.compile("比|较|同比")
