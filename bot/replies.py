"""The one reply model every channel renders: text, buttons and an optional card.

Actions never know the channel; they emit Rasa messages (text + buttons, or a custom
``{"card": {...}}``), and adapters turn those into platform messages through this model.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Card:
    title: str
    description: str | None = None
    phone: str | None = None
    url: str | None = None
    address: str | None = None

    def plain_text(self) -> str:
        lines = [self.title]
        if self.description:
            lines.append(self.description)
        if self.address:
            lines.append(f"주소: {self.address}")
        if self.phone:
            lines.append(f"전화: {self.phone}")
        if self.url:
            lines.append(self.url)
        return "\n".join(lines)


@dataclass
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    card: Card | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "buttons": [asdict(button) for button in self.buttons],
        }
        if self.card is not None:
            data["card"] = {k: v for k, v in asdict(self.card).items() if v is not None}
        return data


def _card_from(raw: Any) -> Card | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("title"), str):
        return None
    fields = ("description", "phone", "url", "address")
    extra = {name: str(raw[name]) for name in fields if raw.get(name) not in (None, "")}
    return Card(title=raw["title"], **extra)


def _buttons_from(raw: Any) -> list[Button]:
    buttons: list[Button] = []
    for item in raw or []:
        if isinstance(item, dict) and item.get("title") and item.get("payload"):
            buttons.append(Button(str(item["title"]), str(item["payload"])))
    return buttons


def replies_from_engine(messages: list[dict[str, Any]]) -> list[Reply]:
    """Converts the Rasa REST channel's output into replies; unknown parts become text."""
    replies: list[Reply] = []
    for message in messages:
        if not isinstance(message, dict):
            continue
        text = message.get("text") if isinstance(message.get("text"), str) else None
        buttons = _buttons_from(message.get("buttons"))
        card = None
        custom = message.get("custom")
        if isinstance(custom, dict):
            card = _card_from(custom.get("card"))
            buttons = buttons or _buttons_from(custom.get("buttons"))
            if text is None and isinstance(custom.get("text"), str):
                text = custom["text"]
        if text is None and card is not None:
            text = card.plain_text()
        if text is None and isinstance(message.get("image"), str):
            text = message["image"]
        if text is None:
            continue
        replies.append(Reply(text=text, buttons=buttons, card=card))
    return replies


def engine_controls(messages: list[dict[str, Any]]) -> set[str]:
    """Signals actions send the app in a custom payload (`{"ieum_control": ...}`)."""
    controls = set()
    for message in messages:
        custom = message.get("custom") if isinstance(message, dict) else None
        if isinstance(custom, dict) and isinstance(custom.get("ieum_control"), str):
            controls.add(custom["ieum_control"])
    return controls
