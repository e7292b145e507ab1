"""Korean particles chosen by the word they follow: 은/는, 이/가, 을/를, 와/과, 으로/로, 이에요/예요.

A reply template never shows a bracketed particle pair: it calls `josa(word, "은")` (or `attach`).
The choice depends on how the last *spoken* syllable ends, so digits, Latin letters, Roman
numerals and a closing bracket are read the way a Korean speaker would say them.
Python 3.10-compatible and standard library only: both runtimes may use it.
"""

from __future__ import annotations

import re

# Particle pairs: (after a final consonant, after a vowel). 으로/로 has a third rule: ㄹ takes 로.
_PAIRS: dict[str, tuple[str, str]] = {
    "은": ("은", "는"),
    "는": ("은", "는"),
    "이": ("이", "가"),
    "가": ("이", "가"),
    "을": ("을", "를"),
    "를": ("을", "를"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
    "이에요": ("이에요", "예요"),
    "예요": ("이에요", "예요"),
    "이라": ("이라", "라"),
    "라": ("이라", "라"),
    "이나": ("이나", "나"),
    "나": ("이나", "나"),
    "이랑": ("이랑", "랑"),
    "랑": ("이랑", "랑"),
    "아": ("아", "야"),
    "야": ("아", "야"),
    "이면": ("이면", "면"),
    "면": ("이면", "면"),
    "이든": ("이든", "든"),
    "든": ("이든", "든"),
    "이요": ("이요", "요"),
    "요": ("이요", "요"),
}

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # index of ㄹ among final consonants

# How the last digit is read (Sino-Korean): final consonant index, 0 = none.
_DIGIT_FINAL = {"0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}
# Trailing zeros → the unit said last: 10 십(ㅂ), 100 백(ㄱ), 1000 천(ㄴ); 10^4…10^7 end in 만(ㄴ)
# (십만, 백만, 천만), 10^8…10^11 in 억(ㄱ), 10^12 and up in 조 (no final).
_ZEROS_FINAL = {1: 17, 2: 1, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 1, 9: 1, 10: 1, 11: 1}
# Latin letters said one by one (HRD, KTX): ㄹ for L/R, ㅁ M, ㄴ N; the rest end in a vowel.
_LETTER_FINAL = {"L": 8, "R": 8, "M": 16, "N": 4}
# Roman numerals as read: Ⅰ 일 Ⅱ 이 Ⅲ 삼 Ⅳ 사 Ⅴ 오 Ⅵ 육 Ⅶ 칠 Ⅷ 팔 Ⅸ 구 Ⅹ 십
_ROMAN_FINAL = {"Ⅰ": 8, "Ⅱ": 0, "Ⅲ": 16, "Ⅳ": 0, "Ⅴ": 0, "Ⅵ": 1, "Ⅶ": 8, "Ⅷ": 8, "Ⅸ": 0,
                "Ⅹ": 17}  # fmt: skip
# Symbols read as a word ending in a vowel: % 퍼센트, + 플러스.
_SYMBOL_FINAL = {"%": 0, "+": 0, "％": 0}
# A bracketed aside at the end is not read with the word: "국민취업지원제도(국취)" → 제도.
# Quotes and 「」 are not asides: the quoted word itself is read ("'전직스쿨'로").
_BRACKETED_TAIL = re.compile(r"\s*[\(\[（［][^\(\)\[\]（）［］]{0,60}[\)\]）］]$")
_TRAILING_NOISE = " \t\n.,!?~·'\"…‘’“”」』〉>"
_NUMBER_TAIL = re.compile(r"\d(?:[\d,]*\d)?$")


def _spoken_end(word: str) -> str:
    """The text whose last character is what is said last: asides and punctuation removed.

    Only the tail matters, so at most the last 400 characters are looked at (patterns stay cheap
    on any input)."""
    text = word[-400:]
    for _ in range(6):
        stripped = _BRACKETED_TAIL.sub("", text.rstrip(_TRAILING_NOISE))
        if stripped == text or not stripped.strip():
            break
        text = stripped
    return text.rstrip(_TRAILING_NOISE + ")]）］")  # "(국취)" alone: the word inside is read


def _number_final(text: str) -> int:
    number = _NUMBER_TAIL.search(text[-40:])
    digits = (number.group(0) if number else text[-1]).replace(",", "")
    significant = digits.rstrip("0")
    zeros = len(digits) - len(significant)
    if zeros and significant:
        return _ZEROS_FINAL.get(zeros, 0)
    return _DIGIT_FINAL[digits[-1]]


def _final_of_word(word: str) -> int | None:
    """Final consonant index of the last spoken syllable (0 = vowel), None when unknown."""
    text = _spoken_end(word)
    if not text:
        return None
    last = text[-1]
    code = ord(last)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return (code - _HANGUL_FIRST) % 28
    if last.isascii() and last.isdigit():
        return _number_final(text)
    if last in _ROMAN_FINAL:
        return _ROMAN_FINAL[last]
    if last.isascii() and last.isalpha():
        return _latin_final(text)
    return _SYMBOL_FINAL.get(last)


def _latin_final(text: str) -> int:
    tail = re.search(r"[A-Za-z]+$", text[-40:])
    word = tail.group(0) if tail else text
    if word.isupper() or len(word) == 1:  # an acronym, read letter by letter
        return _LETTER_FINAL.get(word[-1].upper(), 0)
    lower = word.lower()
    if lower.endswith(("ng", "m", "n")):
        return 4 if lower.endswith("n") else (16 if lower.endswith("m") else 21)
    if lower.endswith(("l", "le")):
        return 8
    if lower.endswith(("t", "k", "p", "b", "d", "g", "c")) and not lower.endswith(("ght",)):
        return 1  # Net → 넷, book → 북: a closed syllable
    return 0


def josa(word: str, particle: str) -> str:
    """The particle form that follows `word` ("은" → "은" or "는"). An ending that cannot be
    read (an emoji, a lone symbol) takes the consonant form, which reads least wrong."""
    pair = _PAIRS.get(particle)
    if pair is None:
        raise ValueError(f"unknown particle: {particle}")
    final = _final_of_word(word)
    if final is None:
        final = 1  # treat as a consonant: "이/을/은" after an unknown ending is the safer guess
    if pair[0] == "으로":
        return "로" if final in (0, _RIEUL) else "으로"
    return pair[0] if final else pair[1]


def attach(word: str, particle: str) -> str:
    """`word` followed by its particle: attach("전직스쿨", "으로") → "전직스쿨로"."""
    return f"{word}{josa(word, particle)}"


_PAIR_PATTERN = re.compile(
    r"\((?:은|는|이|가|을|를|과|와|으|으로|로|아|야|이에요|예요|이라|라|이나|나|이랑|랑)\)"
    r"|(?:은/는|는/은|이/가|가/이|을/를|를/을|과/와|와/과|으로/로|로/으로)(?![가-힣])"
)


def has_particle_pair(text: str) -> bool:
    """True when text still shows a template artefact: a bracketed particle pair or a slash pair
    such as 을/를 (see _PAIR_PATTERN)."""
    return bool(_PAIR_PATTERN.search(text))
