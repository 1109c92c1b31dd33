"""Right-to-left text for the PDF: Arabic joined, every line in visual order.

A PDF draws glyphs left to right, so a line holding Hebrew or Arabic must be
reordered before it is drawn, and Arabic letters must take their joined
(initial, medial, final) forms.  ``visual_order`` does both for one line:

- shaping with ``arabic-reshaper`` (MIT) when it is installed; without it
  Arabic prints in its isolated forms, still legible and extractable;
- the implicit part of the Unicode Bidirectional Algorithm (UAX #9, rules
  W1-W7, N1-N2, I1-I2, L2 and mirroring).  The explicit part is not needed:
  ``safe.clean_text`` has already removed every embedding, override and
  isolate from ledger text.

Digits inside right-to-left text stay left to right (a price in a Hebrew
line reads correctly).  The line's own direction comes from its first
strong character, as a paragraph's does.
"""

from __future__ import annotations

import re
import unicodedata

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_MIRROR = dict(zip("()<>[]{}«»‹›", ")(><][}{»«›‹"))
_NEUTRAL = {"B", "S", "WS", "ON"}
_STRONG = {"L", "R", "EN", "AN"}
_OPENING = "([{"
_CLOSING = {")": "(", "]": "[", "}": "{"}


def visual_order(text: str) -> str:
    """``text`` shaped and reordered for drawing left to right."""
    if not _RTL.search(text):
        return text
    if _ARABIC.search(text):
        text = _shape(text)
    levels = _levels(text)
    return _reorder(text, levels)


def _shape(text: str) -> str:
    try:
        import arabic_reshaper
    except ImportError:  # pragma: no cover - the dependency is normally there
        return text
    return arabic_reshaper.reshape(text)


def _levels(text: str) -> list[int]:
    types = [unicodedata.bidirectional(char) or "L" for char in text]
    base = 0
    for kind in types:
        if kind == "L":
            break
        if kind in ("R", "AL"):
            base = 1
            break
    sos = "R" if base else "L"
    # W1: a non-spacing mark takes the type of the character before it.
    for index, kind in enumerate(types):
        if kind == "NSM":
            types[index] = types[index - 1] if index else sos
    # W2, W3: European digits after Arabic letters are Arabic numbers; AL is R.
    strong = sos
    for index, kind in enumerate(types):
        if kind in ("L", "R", "AL"):
            strong = kind
        elif kind == "EN" and strong == "AL":
            types[index] = "AN"
    types = ["R" if kind == "AL" else kind for kind in types]
    # W4: one separator between two numbers of the same kind joins them.
    for index in range(1, len(types) - 1):
        before, kind, after = types[index - 1], types[index], types[index + 1]
        if before == after == "EN" and kind in ("ES", "CS"):
            types[index] = "EN"
        elif before == after == "AN" and kind == "CS":
            types[index] = "AN"
    # W5: currency signs and percent signs next to European digits are digits.
    for index, kind in enumerate(types):
        if kind == "ET" and _touches(types, index, "ET", "EN"):
            types[index] = "EN"
    # W6: the remaining separators and terminators are neutral.
    types = ["ON" if kind in ("ES", "ET", "CS", "BN") else kind for kind in types]
    # W7: European digits after left-to-right text (or at an LTR start) are L.
    strong = sos
    for index, kind in enumerate(types):
        if kind in ("L", "R"):
            strong = kind
        elif kind == "EN" and strong == "L":
            types[index] = "L"
    _pair_brackets(text, types, base, sos)
    # N1, N2: neutrals between two of the same direction take it, else the base.
    index = 0
    while index < len(types):
        if types[index] not in _NEUTRAL:
            index += 1
            continue
        end = index
        while end < len(types) and types[end] in _NEUTRAL:
            end += 1
        before = _direction(types[index - 1]) if index else sos
        after = _direction(types[end]) if end < len(types) else sos
        fill = before if before == after else ("R" if base else "L")
        types[index:end] = [fill] * (end - index)
        index = end
    # I1, I2: resolved levels.
    levels = []
    for kind in types:
        if base == 0:
            levels.append({"R": 1, "AN": 2, "EN": 2}.get(kind, 0))
        else:
            levels.append(2 if kind in ("L", "EN", "AN") else 1)
    return levels


def _pair_brackets(text: str, types: list[str], base: int, sos: str) -> None:
    """N0: a pair of brackets takes one direction, from what it encloses or
    else from what precedes it, so "(VIP)" stays a pair in a Hebrew line."""
    embedding = "R" if base else "L"
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if types[index] != "ON":
            continue
        if char in _OPENING:
            stack.append(index)
        elif char in _CLOSING:
            for depth in range(len(stack) - 1, -1, -1):
                if text[stack[depth]] == _CLOSING[char]:
                    pairs.append((stack[depth], index))
                    del stack[depth:]
                    break
    for start, end in sorted(pairs):
        inside = {_direction(kind) for kind in types[start + 1 : end] if kind in _STRONG}
        if not inside:
            continue
        if embedding in inside:
            fill = embedding
        else:
            before = next((_direction(kind) for kind in reversed(types[:start]) if kind in _STRONG), sos)
            fill = before if before != embedding else embedding
        types[start] = types[end] = fill


def _touches(types: list[str], index: int, run: str, target: str) -> bool:
    """Whether the run of ``run`` types around ``index`` touches a ``target``."""
    left = index
    while left > 0 and types[left - 1] == run:
        left -= 1
    right = index
    while right < len(types) - 1 and types[right + 1] == run:
        right += 1
    return (left > 0 and types[left - 1] == target) or (
        right < len(types) - 1 and types[right + 1] == target
    )


def _direction(kind: str) -> str:
    return "L" if kind == "L" else "R"  # R, EN and AN all count as R for neutrals


def _reorder(text: str, levels: list[int]) -> str:
    chars = [_MIRROR.get(char, char) if level % 2 else char for char, level in zip(text, levels)]
    # L2: from the highest level down to the lowest odd one, reverse every run
    # at that level or above.
    order = list(range(len(chars)))
    top = max(levels)
    lowest_odd = min((level for level in levels if level % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if levels[order[index]] < level:
                index += 1
                continue
            end = index
            while end < len(order) and levels[order[end]] >= level:
                end += 1
            order[index:end] = reversed(order[index:end])
            index = end
    return "".join(chars[position] for position in order)
