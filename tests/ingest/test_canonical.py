import subprocess
import sys

import pytest

from ingest.canonical import (
    canonical_url,
    containment,
    content_hash,
    normalised_text,
    publisher_from_url,
    shingle_fingerprint,
    similarity,
)

WIRE_STORY = (
    "The defence ministry signed a contract on Tuesday for 18 self-propelled howitzers and an initial "
    "stock of 155mm ammunition, officials said. Deliveries are due to begin in the second half of next "
    "year and run until 2029, according to a statement from the procurement agency. The agreement, "
    "valued at about 480 million euros, includes training for crews and a maintenance package covering "
    "ten years. The manufacturer said it would expand production at two plants to meet the order. "
    "Opposition lawmakers questioned whether the army could absorb the guns without new recruits."
)
UNRELATED_STORY = (
    "The navy announced on Friday that it would retire two ageing frigates early and move their crews "
    "to new patrol vessels. The decision follows a review of maintenance costs that rose sharply over "
    "the past five years, the ministry said in a statement. A shipyard on the northern coast will "
    "begin work on a third patrol vessel this spring, and the government has asked parliament to "
    "approve extra funding for sonar upgrades. Unions welcomed the plan to keep the yard busy."
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM/News/Story", "https://www.example.com/News/Story"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/world/", "https://example.com/world"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://example.com/%7Eeditor/%e2%82%ac", "https://example.com/~editor/%E2%82%AC"),
        ("https://example.com/caf%C3%A9 menu", "https://example.com/caf%C3%A9%20menu"),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/a%2Fb", "https://example.com/a%2Fb"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("https://example.com./x", "https://example.com/x"),
        ("https://user:pw@example.com/x", "https://example.com/x"),
        ("https://example.com/s?b=2&a=1", "https://example.com/s?a=1&b=2"),
        ("https://example.com/s?q=arms+deal", "https://example.com/s?q=arms%20deal"),
        ("https://example.com/s?page=", "https://example.com/s?page"),
        ("https://example.com/s?discount=100%25&path=%2Fa", "https://example.com/s?discount=100%25&path=/a"),
        ("https://example.com/s?", "https://example.com/s"),
        ("  https://example.com/s  ", "https://example.com/s"),
    ],
)
def test_canonical_url_spells_each_url_one_way(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "tracking",
    [
        "utm_source=twitter&utm_medium=social&utm_campaign=x",
        "fbclid=IwAR0abc",
        "gclid=Cj0K",
        "mc_cid=1&mc_eid=2",
        "ocid=msn",
        "cmpid=rss",
        "CMP=share_btn_tw",
        "ref=homepage",
        "ref_src=twsrc",
        "smid=nytcore-ios-share",
        "taid=abc",
        "igshid=xyz",
        "_ga=2.1",
        "yclid=9",
        "spm=a2c",
        "UTM_Source=upper",
    ],
)
def test_tracking_parameters_are_removed_and_real_ones_kept(tracking):
    assert canonical_url(f"https://example.com/story?id=42&{tracking}") == "https://example.com/story?id=42"


def test_urls_differing_only_in_noise_share_one_canonical_form():
    variants = [
        "https://News.Example.com/2026/11/howitzers/?utm_source=rss#top",
        "https://news.example.com:443/2026/11/howitzers?fbclid=abc",
        "HTTPS://news.example.com/2026/11/./howitzers",
    ]

    assert {canonical_url(url) for url in variants} == {"https://news.example.com/2026/11/howitzers"}


def test_www_host_is_kept_distinct_from_the_bare_domain():
    assert canonical_url("https://www.example.com/a") != canonical_url("https://example.com/a")


@pytest.mark.parametrize("url", ["https://example.com:port/", "https://[::1/"])
def test_unparseable_url_raises_value_error(url):
    with pytest.raises(ValueError):
        canonical_url(url)


def test_canonical_url_is_stable_when_applied_twice():
    once = canonical_url("https://Example.com/a b/%7e/?z=1&utm_source=x&a=%2f#f")

    assert canonical_url(once) == once


@pytest.mark.parametrize(
    ("url", "publisher"),
    [
        ("https://www.reuters.com/world/europe/story", "reuters.com"),
        ("https://news.bbc.co.uk/2/hi/world", "bbc.co.uk"),
        ("https://WWW.Janes.com./defence", "janes.com"),
        ("https://www.defence.gov.au/news", "defence.gov.au"),
        ("https://bücher.example/x", "xn--bcher-kva.example"),
        ("http://127.0.0.1:8000/article", "127.0.0.1"),
    ],
)
def test_publisher_is_the_registrable_domain_without_www(url, publisher):
    assert publisher_from_url(url) == publisher


def test_content_hash_ignores_case_and_whitespace_but_not_words():
    assert content_hash("Army  orders\nhowitzers") == content_hash("army orders HOWITZERS ")
    assert content_hash("Army orders howitzers") != content_hash("Army orders rockets")
    assert len(content_hash("x")) == 64


def test_normalised_text_collapses_whitespace_and_folds_case():
    assert normalised_text("  Straße\tUND\n\nMehr ") == "strasse und mehr"


def test_syndicated_copy_with_new_headline_and_boilerplate_is_near_identical():
    reprint = (
        "Country buys artillery in record deal | Subscribe to our newsletter for daily defence news. "
        + WIRE_STORY
        + " (Reporting by wire staff; editing by the desk.) Read more: ministry budget plans."
    )

    original, copy = shingle_fingerprint(WIRE_STORY), shingle_fingerprint(reprint)

    assert similarity(original, copy) > 0.7
    assert containment(original, copy) == 1.0


def test_lightly_edited_copy_stays_similar():
    edited = WIRE_STORY.replace("officials said", "two officials told reporters").replace("about", "roughly")

    assert similarity(shingle_fingerprint(WIRE_STORY), shingle_fingerprint(edited)) > 0.6


def test_different_stories_on_the_same_beat_are_not_similar():
    original, other = shingle_fingerprint(WIRE_STORY), shingle_fingerprint(UNRELATED_STORY)

    assert similarity(original, other) < 0.05
    assert containment(original, other) < 0.05


def test_identical_texts_have_similarity_one_and_empty_text_zero():
    fingerprint = shingle_fingerprint(WIRE_STORY)

    assert similarity(fingerprint, shingle_fingerprint(WIRE_STORY.upper())) == 1.0
    assert similarity(fingerprint, shingle_fingerprint("")) == 0.0
    assert shingle_fingerprint("   ") == frozenset()


def test_short_text_still_gets_one_shingle():
    assert len(shingle_fingerprint("Howitzers delivered")) == 1


def test_fingerprint_is_the_same_in_another_process():
    code = "from ingest.canonical import shingle_fingerprint as f; print(sorted(f('one two three four five six')))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert other.strip() == str(sorted(shingle_fingerprint("one two three four five six")))


def test_network_edge_modules_import_without_django():
    code = (
        "import sys, ingest.canonical, ingest.fetch, ingest.feeds, ingest.address_guard; "
        "print('django' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert loaded.strip() == "False"
