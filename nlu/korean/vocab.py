"""Words people use for employment status, mapped to DESIGN's canonical values.

Pure standard library (shared by the engine's normalizer and the app's form validation).
"""

from __future__ import annotations

import re

# Checked in order: the more specific phrases first ("퇴직 예정" before "퇴직").
# Checked in order: a retirement still ahead first ("정년이 두 달 남았어요" is not retired yet),
# then a job found again ("퇴직하고 재취업했어요" works now), then out of work, then employed.
# Every gap is bounded ({0,n}), so no pattern can backtrack far on a long message.
EMPLOYMENT_STATUS_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"퇴직\s{0,2}예정|퇴사\s{0,2}예정|곧\s{0,2}(?:퇴직|퇴사|정년|그만|은퇴)|정년\s{0,2}(?:을\s{0,2})?앞|은퇴\s{0,2}예정|퇴직\s{0,2}앞|명퇴\s{0,2}신청|권고사직\s{0,2}예정"
     r"|(?:정년|퇴직|퇴사|은퇴)[^.?!\n]{0,10}남았|(?:정년|퇴직|퇴사|은퇴)[^.?!\n]{0,8}(?:달|개월|년)\s{0,2}(?:뒤|후)"
     r"|(?:내년|올해\s{0,2}말|연말|다음\s{0,2}달|내달|[가-힣0-9]{1,3}\s{0,2}(?:달|개월|년|주)\s{0,2}(?:뒤|후|있으면))\s{0,2}(?:에|이면|쯤)?\s{0,2}(?:[가-힣]{1,4}\s{1,2})?(?:정년|퇴직|퇴사|은퇴|그만)"
     r"|(?:퇴직|퇴사|은퇴)\s{0,2}(?:할|하려|예정|계획)|그만\s{0,2}둘", "retiring"),
    (r"재취업\s{0,2}(?:을\s{0,2})?(?:했|됐|성공)|취직\s{0,2}(?:을\s{0,2})?(?:했|됐)|취업\s{0,2}(?:이\s{0,2})?(?:했|됐|성공)"
     r"|(?:일|회사|직장)\s{0,2}다니(?:면서|는\s{0,2}중)|일하면서|(?:회사|직장)\s{0,2}다녀", "employed"),
    (r"퇴직(?!\s{0,2}(?:금|연금|예정|하면|하고\s{0,2}나서|할))|퇴사(?!\s{0,2}(?:하면|할))|실직|실업(?!\s{0,2}(?:급여|수당|인정|자\s{0,2}등록))"
     r"|구직(?!\s{0,2}(?:급여|촉진|활동|신청|등록|자\s{0,2}등록))|일자리\s{0,2}(?:를\s{0,2})?(?:찾|잃)|직장\s{0,2}(?:을\s{0,2})?잃|쉬(?:고|는)|무직|폐업|경력\s{0,2}단절|경단|해고|은퇴|그만\s{0,2}뒀|그만두었|백수|놀고|일\s{0,2}안\s{0,2}해|안\s{0,2}다녀"
     r"|사직|구조조정|장사\s{0,2}(?:를\s{0,2})?접|(?:가게|식당|사업|장사|점포)[^.?!\n]{0,6}(?:접었|접고|닫았|닫고|정리했)|문\s{0,2}(?:을\s{0,2})?닫았|잘렸|짤렸|일\s{0,2}(?:을\s{0,2})?(?:그만|관|쉬|놓)|집에서\s{0,2}쉬|놀고\s{0,2}있|제\s{0,2}발로\s{0,2}나왔|(?:회사|직장)(?:에서)?\s{0,2}나왔|관뒀|때려\s{0,2}치", "unemployed"),
    (r"재직|회사\s{0,2}다니|직장\s{0,2}다니|근무\s{0,2}중|일하고\s{0,2}있|일하는\s{0,2}중|다니고\s{0,2}있|직장인|회사원|출근|재직자", "employed"),
)  # fmt: skip
_COMPILED = tuple((re.compile(p), v) for p, v in EMPLOYMENT_STATUS_PATTERNS)
CANONICAL_STATUSES = ("employed", "retiring", "unemployed")


def parse_employment_status(text: str) -> str | None:
    """'회사 다니고 있어요' → employed; '작년에 퇴직했어요' → unemployed; None when unclear."""
    if text is None:
        return None
    text = str(text).strip()
    if text in CANONICAL_STATUSES:
        return text
    for pattern, value in _COMPILED:
        if pattern.search(text):
            return value
    return None
