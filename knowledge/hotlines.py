"""The national counseling line every answer can fall back on.

Issue 3 moves center facts into the YAML knowledge base; this one fact is needed by the
foundation's human handoff and by every apology, so it lives here with its source.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.plain_text import as_of_label


@dataclass(frozen=True)
class Hotline:
    name: str
    phone: str
    hours: str
    web: str
    source: str
    verified_year: int
    uncertain: bool

    def card(self) -> dict[str, str]:
        """A channel-neutral card (title/description/phone/url) for actions to send.

        `uncertain` stays here for the people who keep this fact; users see the one 기준일 format.
        """
        return {
            "title": self.name,
            "description": f"국번 없이 {self.phone} · {self.hours} · {as_of_label(self.verified_year)}",
            "phone": self.phone,
            "url": self.web,
        }


def national_hotline() -> Hotline:
    """고용노동부 고객상담센터 1350 (centers_extra.yaml `hotline_1350`)."""
    return Hotline(
        name="고용노동부 고객상담센터",
        phone="1350",
        hours="평일 오전 9시~오후 6시",
        web="https://www.work24.go.kr",
        source="https://impactjournal.kr/2025/11/06/고용·노동-상담의-사각지대-해소-1350-고객상담센터의",
        verified_year=2025,
        uncertain=True,
    )
