"""Words people use for employment status, mapped to DESIGN's canonical values.

Pure standard library (shared by the engine's normalizer and the app's form validation).
"""

from __future__ import annotations

import re

# Checked in order: the more specific phrases first ("퇴직 예정" before "퇴직").
EMPLOYMENT_STATUS_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"퇴직\s*예정|퇴사\s*예정|곧\s*(?:퇴직|퇴사|정년|그만)|정년\s*(?:을\s*)?앞|은퇴\s*예정|퇴직\s*앞|명퇴\s*신청|권고사직\s*예정", "retiring"),
    (r"퇴직|퇴사|실직|실업|구직|일자리\s*찾|쉬(?:고|는)|무직|폐업|경력\s*단절|경단|해고|은퇴|그만\s*뒀|그만두었|백수|놀고|일\s*안\s*해|안\s*다녀", "unemployed"),
    (r"재직|회사\s*다니|회사\s*다녀|직장\s*다니|직장\s*다녀|근무\s*중|일하고\s*있|일하는\s*중|다니고\s*있|직장인|회사원|출근|재직자", "employed"),
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
