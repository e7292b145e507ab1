"""Amounts in won said the way Koreans say them: "6만 6,048원", "1억 2,000만 원", "약 198만 원"."""

from __future__ import annotations


def won(amount: int) -> str:
    """Exact amount with 억/만 units: 66048 → "6만 6,048원", 400000000 → "4억 원"."""
    if amount < 0:
        return "-" + won(-amount)
    eok, rest = divmod(amount, 100_000_000)
    man, unit = divmod(rest, 10_000)
    parts = []
    if eok:
        parts.append(f"{eok:,}억")
    if man:
        parts.append(f"{man:,}만")
    if unit or not parts:
        parts.append(f"{unit:,}원")
        return " ".join(parts)
    return " ".join(parts) + " 원"


def won_about(amount: int) -> str:
    """Rounded to 만 원 for monthly and total figures: 1981440 → "약 198만 원"."""
    if amount < 10_000:
        return f"약 {won(amount)}"
    return f"약 {won(round(amount / 10_000) * 10_000)}"


def won_floor(amount: int) -> str:
    """Cut down to 만 원, for an 'at most' line: 2519575 → "251만 원" (never above the limit)."""
    if amount < 10_000:
        return won(amount)
    return won(amount // 10_000 * 10_000)
