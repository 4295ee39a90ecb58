"""The same answers from regular expressions over literal words, with less work for the regex engine.

A flat alternation "a day|a month|a week|..." makes the engine try every phrase at every position of the
text; the same phrases written as a prefix tree ("a (?:day|month|week)") are tried one character at a
time. The tree tries longer phrases before their prefixes, so it picks the same phrase at a position as a
flat alternation sorted longest first (literal_alternation).

A pattern that starts with a look-behind or a word boundary is tried at every position; one that starts
with literal characters lets the engine scan for those characters. WholeWords moves the boundary behind
the first character, on lower-cased ASCII text. A case-insensitive pattern that needs one of a few words
cannot match an ASCII text without them (may_contain), and a pattern anchored at the end of a short
window only needs the window's last words (last_words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""


def literal_alternation(phrases: Iterable[str], after_first: str = "") -> str:
    """A regex (without a group) matching any of phrases, longest first; matches nothing when empty.

    after_first is put after the first character of every phrase (a look-behind there leaves the engine
    free to scan for the first characters quickly).
    """
    tree: dict = {}
    for phrase in phrases:
        if not phrase:
            continue
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _pattern(tree, after_first) if tree else "(?!)"


def _pattern(node: dict, after_first: str = "") -> str:
    branches = [
        re.escape(char) + after_first + _pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if _END in node else body


def ascii_lower(text: str) -> str | None:
    """text in lower case when it is ASCII (where case-insensitive matching is plain lower-casing), else None."""
    return text.lower() if text.isascii() else None


def may_contain(lowered: str | None, words: Iterable[str]) -> bool:
    """False when an ASCII text (lowered by ascii_lower) contains none of words; True when it may."""
    return lowered is None or any(word in lowered for word in words)


class WholeWords:
    r"""Case-insensitive whole-word search for literal phrases, answering only whether one occurs.

    found_in(text) equals bool(re.search(r"\b(?:phrase|...)\b", text, re.IGNORECASE)). On ASCII text it
    searches the lower-cased text with the leading word boundary checked after the first character, so
    the regex engine can scan for the first characters quickly.
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        phrases = [p.lower() for p in phrases]
        if not all(p[:1].isalnum() for p in phrases):
            raise ValueError("every phrase must start with a letter or digit")
        alternation = literal_alternation(phrases)
        self._any_text = re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)
        # in lower-cased ASCII a word character is [0-9a-z_]; none may precede the phrase's first character
        starts_word = literal_alternation(phrases, after_first="(?<![0-9a-z_].)")
        self._lowered_ascii = re.compile(rf"(?:{starts_word})\b")

    def found_in(self, text: str) -> bool:
        if not text.isascii():
            return bool(self._any_text.search(text))
        return bool(self._lowered_ascii.search(text.lower()))


def last_words(text: str, count: int) -> str:
    r"""text from the start of its count-th last run of non-space characters (all of text when it has fewer).

    A pattern anchored at the end ($), whose only look-behind is a leading \b and whose match spans at
    most count such runs, finds a match in text exactly when it finds one in this shorter tail.
    """
    end = len(text)
    for _ in range(count):
        head = text[:end].rstrip()
        if not head:
            return text
        end = len(head) - len(head.rsplit(None, 1)[-1])
    return text[end:]
