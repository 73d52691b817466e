"""Text helpers for inbound mail: guessing charsets, HTML to readable text, folding quoted history.

Pure functions on strings and bytes, used by helpdesk.mail.parse.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

import nh3

# --- charsets ------------------------------------------------------------------------------

# Labels seen in the wild that Python does not know, or knows under a narrower name.
CHARSET_ALIASES = {
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "windows-874": "cp874",
    "x-mac-ce": "mac-latin2",
    "cp-850": "cp850",
    "utf8": "utf-8",
    "latin2": "iso-8859-2",
}
# Labels that promise nothing: the bytes decide.
UNINFORMATIVE = {"", "none", "unknown", "unknown-8bit", "x-unknown", "us-ascii", "ascii", "default", "8bit"}
WESTERN = {"iso-8859-1", "latin-1", "latin1", "iso8859-1", "windows-1252", "cp1252", "iso-8859-15"}

# Single-byte guesses, most likely first for our customers (Hungarian and Polish).
GUESSES = ("cp1250", "iso-8859-2", "cp1252", "cp1251")
_LIKELY_LETTERS = set(
    "áéíóöőúüűÁÉÍÓÖŐÚÜŰ"  # Hungarian
    "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"  # Polish
    "čďěňřšťůžýČĎĚŇŘŠŤŮŽÝ"  # Czech and Slovak
    "äßÄàâçèêëîïôùûÀÇÈÉãõñÑ"  # German, French, Spanish and Portuguese
    "–—„”“‘’…€«»°§·"  # typography that mail programs insert
    "\u00a0"
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def codec_for(label: str | None) -> str | None:
    """A Python codec name for a declared charset, or None when the label is useless."""
    label = (label or "").strip().strip("\"'").lower()
    label = CHARSET_ALIASES.get(label, label)
    if label in UNINFORMATIVE:
        return None
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):
        return None


def _plausibility(text: str) -> int:
    score = 0
    for char in text:
        if char.isascii():
            continue
        if char in _LIKELY_LETTERS:
            score += 2
        elif _CYRILLIC.match(char):
            score += 1
        elif char.isalpha():
            score -= 1
        else:
            score -= 3
    # Runs of three accented letters are rare in Latin-script languages, common in mis-decoded
    # Cyrillic; the reverse for Cyrillic read as Latin.
    score -= 3 * sum(len(run) for run in re.findall(r"[^\x00-\x7f\u0400-\u04ff]{3,}", text))
    return score


def guess_decode(raw: bytes) -> str:
    """Decode bytes whose charset is unknown or wrong: UTF-8 if valid, else the likeliest 8-bit one."""
    if raw.isascii():
        return raw.decode("ascii")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = [raw.decode(codec, errors="replace") for codec in GUESSES]
    return max(candidates, key=_plausibility)  # max keeps the first of equal scores


def decode_bytes(raw: bytes, declared: str | None) -> str:
    """Decode a body or header with its declared charset, distrusting labels that do not fit."""
    codec = codec_for(declared)
    if raw.isascii() and codec not in ("utf-16-le", "utf-16-be", "utf-16", "utf-32"):
        return raw.decode("ascii")
    if codec is None:
        return guess_decode(raw)
    if codec in ("latin-1", "cp1252", "iso8859-15") or codec.startswith("iso8859-1"):
        # Often really UTF-8 (a web form or a phone labelled it wrongly).
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return guess_decode(raw) if codec not in ("utf-8",) else _utf8_or_guess(raw)


def _utf8_or_guess(raw: bytes) -> str:
    # Declared UTF-8 but broken: a few bad bytes in UTF-8 text, or a whole 8-bit text.
    text = raw.decode("utf-8", errors="replace")
    if text.count("\ufffd") * 20 < len(text) and re.search(r"[^\x00-\x7f\ufffd]", text):
        return text
    return guess_decode(raw)


def redecode_surrogates(text: str) -> str:
    """Headers with raw 8-bit bytes come out of the parser as surrogate escapes: decode them."""
    if not re.search(r"[\udc80-\udcff]", text):
        return text
    return guess_decode(text.encode("utf-8", errors="surrogateescape"))


# --- HTML ----------------------------------------------------------------------------------

_KEPT_TAGS = {
    "a", "b", "blockquote", "br", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "li", "ol", "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "ul", "ol", "pre", "hr"}


class _TextWriter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quote_depth = 0
        self.link: tuple[str, list[str]] | None = None
        self.lists: list[list] = []  # per open list: [ordered, counter]

    def _text(self, text: str) -> None:
        if self.link is not None:
            self.link[1].append(text)
            return
        self.lines[-1] += text

    def _break(self, blank: bool = False) -> None:
        if self.lines[-1].strip():
            self.lines.append("")
        if blank and len(self.lines) > 1 and self.lines[-2] != "":
            self.lines.append("")
        # Each new line inside a blockquote carries the quote marks.
        self.lines[-1] = self.lines[-1] if self.lines[-1].strip() else "> " * self.quote_depth

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "br":
            self.lines.append("> " * self.quote_depth)
        elif tag in _BLOCK_TAGS:
            self._break(blank=tag in ("p", "table", "ul", "ol", "hr"))
            if tag in ("ul", "ol"):
                self.lists.append([tag == "ol", 0])
        elif tag == "blockquote":
            self.quote_depth += 1
            self._break(blank=True)
        elif tag == "li":
            self._break()
            marker = "-"
            if self.lists and self.lists[-1][0]:
                self.lists[-1][1] += 1
                marker = f"{self.lists[-1][1]}."
            self.lines[-1] += "  " * max(len(self.lists) - 1, 0) + marker + " "
        elif tag in ("td", "th") and self.lines[-1].strip():
            self.lines[-1] += "  "
        elif tag == "a":
            self.link = (attrs.get("href") or "", [])
        elif tag == "img" and attrs.get("alt", "").strip():
            self._text(f"[{attrs['alt'].strip()}]")

    def handle_endtag(self, tag):
        if tag == "a" and self.link is not None:
            href, parts = self.link
            self.link = None
            label = " ".join("".join(parts).split())
            target = href.removeprefix("mailto:")
            if target and target != label and not href.startswith("#"):
                self._text(f"{label} ({target})" if label else target)
            else:
                self._text(label)
        elif tag == "blockquote":
            self.quote_depth = max(self.quote_depth - 1, 0)
            self._break(blank=True)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._break(blank=True)
        elif tag in _BLOCK_TAGS or tag == "li":
            self._break(blank=tag == "p")

    def handle_data(self, data):
        self._text(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in self.lines]
        lines = [line if line not in (">", "> >") else "" for line in lines]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """Sanitise an HTML body and turn it into readable plain text (links as "text (url)")."""
    clean = nh3.clean(
        html,
        tags=_KEPT_TAGS,
        clean_content_tags={"script", "style", "title", "head"},
        attributes={"a": {"href"}, "img": {"alt"}},
        link_rel=None,
        strip_comments=True,
    )
    writer = _TextWriter()
    writer.feed(clean)
    writer.close()
    return writer.text()


# --- quoted history ------------------------------------------------------------------------

_VERBS = (
    r"wrote|írta|napisał\(a\)|napisała|napisał|pisze|schrieb|skrev|escribió|escreveu|a écrit"
    r"|ha scritto|geschreven|написал|пише"
)
_ATTRIBUTION_END = re.compile(rf"(?:{_VERBS})\s*[:：]?\s*-*\s*$", re.IGNORECASE)
_ATTRIBUTION_MID = re.compile(rf"\b(?:{_VERBS})(?P<rest>\s.*)$", re.IGNORECASE)
_ATTRIBUTION_START = re.compile(r"^(?:-+\s*)?(?:On|Le|Am|El|Em|Il|Op|Den|W dniu|Dnia)\b|\d")
_HEADER_FROM = re.compile(r"^\*?(?:From|Feladó|Od|Från|De|Von|Van|Fra)\s*:\*?\s*\S", re.IGNORECASE)
_HEADER_OTHER = re.compile(
    r"^\*?(?:Sent|Date|Dátum|Elküldve|Küldve|Wysłano|Wysłane|Data|To|Címzett|Do|Subject|Tárgy|Temat"
    r"|Skickat|Till|Ämne|Gesendet|An|Betreff|Envoyé|À|Objet|Reply-To|Cc|Másolat|DW|Kopia)\s*:\*?\s",
    re.IGNORECASE,
)
_FORWARD_MARKER = re.compile(
    r"^\s*-{2,}\s*(?:Original Message|Forwarded message|Eredeti üzenet|Továbbított üzenet"
    r"|Wiadomość oryginalna|Oryginalna wiadomość|Przekazana wiadomość|Wiadomość przekazana"
    r"|Ursprüngliche Nachricht|Message d'origine)\s*-*\s*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^\s*(?:-{5,}|_{5,}|={5,})\s*$")
_SIGNATURE = re.compile(r"^--\s?$")
_MOBILE_SIGNATURE = re.compile(
    r"^\s*(?:\(?sent (?:from|with|via)\b|envoyé depuis|von meinem|diese nachricht wurde von|sendt fra"
    r"|verzonden met|wysłane z|wysłano z mojego|get (?:\[)?outlook for|az? \S+-(?:ról|ről|omról|emről)"
    r" küldve|iphone-ról küldve|從我的|<<sent by|from my iphone)",
    re.IGNORECASE,
)


def _is_quote(line: str) -> bool:
    return line.lstrip().startswith((">", "|"))


def _attribution_at(lines: list[str], i: int) -> int:
    """Number of lines (1-3) of an "On … wrote:" line starting at i, or 0."""
    if not lines[i].strip():
        return 0
    for n in (1, 2, 3):
        chunk = lines[i : i + n]
        if len(chunk) < n or (n > 1 and not chunk[-1].strip()):
            return 0
        joined = " ".join(part.strip().lstrip(">| ").strip() for part in chunk)
        if len(joined) > 400:
            return 0
        if n > 1 and not _ATTRIBUTION_START.search(chunk[0].strip()):
            continue
        if _ATTRIBUTION_END.search(joined) and not re.match(rf"^(?:{_VERBS})", joined, re.IGNORECASE):
            return n
        mid = _ATTRIBUTION_MID.search(joined)
        if (
            mid
            and joined.rstrip().endswith((":", "："))
            and ("@" in mid["rest"] or mid["rest"].lstrip()[:1] == "(")
        ):
            return n
    return 0


def _header_block_at(lines: list[str], i: int) -> bool:
    if not _HEADER_FROM.match(lines[i].strip()):
        return False
    following = [line.strip() for line in lines[i + 1 : i + 6] if line.strip()]
    return any(_HEADER_OTHER.match(line) for line in following[:3])


def _end_of_header_block(lines: list[str], i: int) -> int:
    j = i + 1
    while j < len(lines) and lines[j].strip():
        j += 1
    return j


def _quote_block_folds(lines: list[str], i: int) -> bool:
    """A ">" block folds only when nothing new follows it (an interleaved reply stays whole)."""
    j = i
    while j < len(lines) and (_is_quote(lines[j]) or not lines[j].strip()):
        j += 1
    rest = [line for line in lines[j:] if line.strip()]
    return not rest or bool(_SIGNATURE.match(rest[0]) or _MOBILE_SIGNATURE.match(rest[0]))


def _fold_point(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if _FORWARD_MARKER.match(stripped) or _header_block_at(lines, i) or _attribution_at(lines, i):
            return i
        if _is_quote(line) and _quote_block_folds(lines, i):
            return i
        if _SIGNATURE.match(line.rstrip("\r")) or _MOBILE_SIGNATURE.match(stripped):
            return i
    return None


def _pull_up(lines: list[str], i: int) -> int:
    """Include a separator line or an attribution line just above the fold."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j >= 0 and (_SEPARATOR.match(lines[j]) or (_is_quote(lines[i]) and _looks_like_attribution(lines[j]))):
        return j
    return i


def _looks_like_attribution(line: str) -> bool:
    line = line.strip()
    return len(line) < 200 and ("@" in line or bool(re.search(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}", line)))


def _strip_top_headers(lines: list[str]) -> tuple[list[str], list[str]]:
    """A forwarded message with nothing above it: its header block is history, its text is new."""
    first = next((k for k, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return [], lines
    start = first
    if _FORWARD_MARKER.match(lines[first].strip()) or _SEPARATOR.match(lines[first]):
        start = first + 1
        while start < len(lines) and not lines[start].strip():
            start += 1
    if start < len(lines) and _header_block_at(lines, start):
        end = _end_of_header_block(lines, start)
        # Headers may wrap ("Subject: …\nspans over 2 lines") up to the blank line.
        return lines[end:], lines[:end]
    return lines, []


def split_quoted(text: str) -> tuple[str, str]:
    """Split a reply into (new text, quoted history below it). Nothing is thrown away."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines, header = _strip_top_headers(lines)
    quoted: list[str] = []
    point = _fold_point(lines)
    if point is not None:
        point = _pull_up(lines, point)
        if "\n".join(lines[:point]).strip():
            lines, quoted = lines[:point], lines[point:]
    while lines and (not lines[-1].strip() or _SEPARATOR.match(lines[-1])):
        lines.pop()
    new = "\n".join(lines).strip("\n")
    history = "\n".join([*header, *([""] if header and quoted else []), *quoted]).strip("\n")
    if not new.strip():
        return "\n".join([*header, *lines]).strip("\n"), ""
    return new, history


# --- language ------------------------------------------------------------------------------

_WORD_LISTS = {
    "hu": "és hogy nem igen köszönöm köszönjük kérem kérném tisztelt üdvözlettel jó napot számla számlát "
    "rendelés rendelésem megrendelés segítségét szeretném mert még már van volt ez az egy",
    "pl": "nie jest się że dziękuję proszę dzień dobry pozdrawiam faktura fakturę zamówienie zamówienia "
    "mam oraz czy jak ale już mój moje moja jestem był była witam szanowni",
    "en": "the and please thank thanks you is my hello regards order invoice would could have was "
    "this that with for not dear kind",
}
_WORDS = {language: frozenset(words.split()) for language, words in _WORD_LISTS.items()}
_LETTERS = {"hu": set("őűŐŰ"), "pl": set("ąęłśźżńćĄĘŁŚŹŻŃĆ")}


def guess_language(text: str) -> str:
    """hu, pl or en when the text says so clearly (typical words, letters only one language has)."""
    sample = text[:3000].lower()
    words = re.findall(r"[^\W\d_]+", sample)
    scores = {language: sum(word in vocabulary for word in words) for language, vocabulary in _WORDS.items()}
    for language, letters in _LETTERS.items():
        scores[language] += 2 * sum(char in letters for char in sample)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_second, runner_up) = ranked[0], ranked[1]
    return best if top >= 3 and top >= 2 * runner_up else ""
