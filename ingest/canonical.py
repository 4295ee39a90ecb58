"""Canonical URLs, publishers and text fingerprints, so the same article is recognised when seen twice.

The host keeps its "www." because www.example.com and example.com are separate names that may serve
different sites; dropping it would merge URLs that are not the same page. `publisher_from_url` is the
place where such hosts are grouped.
"""

import hashlib
import posixpath
import re
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

import courlan
import idna

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid", "twclid", "ttclid",
        "mc_cid", "mc_eid", "ocid", "cmpid", "cmp", "ref", "ref_src", "ref_url", "smid", "taid",
        "_ga", "_gl", "spm", "mkt_tok", "wt.mc_id", "s_cid", "icid", "xtor", "ito", "ns_mchannel",
        "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "_hsenc", "_hsmi", "oly_anon_id",
        "oly_enc_id", "vero_id", "rb_clickid", "s_kwcid", "ef_id", "guccounter", "guce_referrer",
        "guce_referrer_sig", "sr_share", "at_medium", "at_campaign", "soc_src", "soc_trk", "fsrc",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/:@!$&'()*+,;=%"
# Query keys and values are decoded before quoting, so "%" is always escaped there.
_QUERY_SAFE = ":@!$'()*,;/?"
_WORD = re.compile(r"\w+")
SHINGLE_SIZE = 5


def canonical_url(url: str) -> str:
    """The URL in one spelling: tracking parameters, fragments, default ports and case noise removed.

    Raises ValueError for a URL that cannot be parsed, such as one with a non-numeric port.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    return urlunsplit((scheme, _netloc(parts, scheme), _path(parts.path), _query(parts.query), ""))


def _netloc(parts, scheme: str) -> str:
    host = _ascii_host(parts.hostname or "")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is None or DEFAULT_PORTS.get(scheme) == port:
        return host
    return f"{host}:{port}"


def _ascii_host(host: str) -> str:
    host = host.rstrip(".").lower()
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return host.encode("idna").decode("ascii")


def _path(path: str) -> str:
    if not path:
        return "/"
    # Escapes are settled first so that "%2E%2E" is removed as a dot segment like "..".
    # normpath also drops a trailing slash: "/news/" and "/news" are one page on every news site
    # we have seen, while the root keeps its "/".
    normalised = posixpath.normpath(_normalise_escapes(path, safe=_PATH_SAFE))
    return "/" + normalised.lstrip("/") if normalised != "." else "/"


def _query(query: str) -> str:
    pairs = [(key, value) for key, value in parse_qsl(query, keep_blank_values=True) if not _is_tracking(key)]
    pairs.sort()
    return "&".join(
        f"{quote(key, safe=_QUERY_SAFE)}={quote(value, safe=_QUERY_SAFE)}"
        if value
        else quote(key, safe=_QUERY_SAFE)
        for key, value in pairs
    )


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_PARAMETERS or key.startswith(TRACKING_PREFIXES)


def _normalise_escapes(text: str, *, safe: str) -> str:
    """Decode escapes of unreserved characters, upper-case the rest, and escape what must be escaped."""

    def unescape_unreserved(match: re.Match) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else f"%{match.group(1).upper()}"

    text = _STRAY_PERCENT.sub("%25", text)
    return quote(_PERCENT_ESCAPE.sub(unescape_unreserved, text), safe=safe)


def publisher_from_url(url: str) -> str:
    """The registrable domain of the URL's host without "www.", e.g. "reuters.com" or "bbc.co.uk"."""
    host = _ascii_host(urlsplit(url.strip()).hostname or "")
    domain = courlan.extract_domain(f"http://{host}/") if host else None
    return domain or host.removeprefix("www.")


def normalised_text(text: str) -> str:
    """The text case-folded with every run of whitespace made a single space."""
    return " ".join(text.casefold().split())


def content_hash(text: str) -> str:
    """SHA-256 hex digest of the normalised text; equal for texts that differ only in case or spacing."""
    return hashlib.sha256(normalised_text(text).encode("utf-8")).hexdigest()


def shingle_fingerprint(text: str, size: int = SHINGLE_SIZE) -> frozenset[int]:
    """Hashes of every run of `size` consecutive words; stable across processes so it can be stored."""
    words = _WORD.findall(text.casefold())
    if not words:
        return frozenset()
    runs = [words[i : i + size] for i in range(max(1, len(words) - size + 1))]
    return frozenset(_stable_hash(" ".join(run)) for run in runs)


def _stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    """Jaccard similarity of two fingerprints: 1.0 for the same text, 0.0 for nothing in common."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller fingerprint found in the larger: high when one text reprints the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
