import datetime

from ingest.extract.document import parse_document

ARTICLE_HTML = """<!doctype html><html><head><title>Berlin pledges tanks</title>
<meta property="article:published_time" content="2023-01-25T10:00:00Z"></head>
<body><nav>Home | World</nav><article><h1>Berlin pledges tanks</h1>
<p>Germany will send 14 Leopard 2A6 tanks to Ukraine from Bundeswehr stocks, Chancellor Olaf Scholz said on
Wednesday, ending weeks of hesitation that had strained relations with allies in Europe and beyond.</p>
<p>Officials in Berlin said the tanks would be handed over with ammunition and spare parts, and that
Ukrainian crews would begin their training in Germany within a few weeks of the announcement.</p>
</article><footer>Copyright</footer></body></html>"""


def test_plain_text_headers_give_title_and_date_and_offsets_stay_on_the_full_text():
    raw = "Title: Tanks for Kyiv\nPublished: 2023-01-25\n\nGermany will send tanks."
    document = parse_document(raw.encode())
    assert document.title == "Tanks for Kyiv"
    assert document.published == datetime.date(2023, 1, 25)
    assert document.text == raw
    assert not document.is_html


def test_html_body_title_and_date_are_extracted():
    document = parse_document(ARTICLE_HTML.encode(), filename="page.html")
    assert document.is_html
    assert document.title == "Berlin pledges tanks"
    assert "Leopard 2A6" in document.text
    assert "Copyright" not in document.text
    assert document.published == datetime.date(2023, 1, 25)


def test_html_is_recognised_from_content_type_and_from_the_markup():
    assert parse_document(ARTICLE_HTML, content_type="text/html; charset=utf-8").is_html
    assert parse_document(ARTICLE_HTML).is_html


def test_markdown_is_read_as_text():
    document = parse_document(b"# Tanks\n\n**Germany** will send tanks.", filename="note.md")
    assert not document.is_html
    assert "Germany" in document.text


def test_bad_utf8_is_replaced_not_fatal():
    document = parse_document(b"Germany will send \xff\xfe tanks.")
    assert "Germany will send" in document.text


def test_binary_junk_gives_empty_text():
    document = parse_document(bytes(range(256)) * 20)
    assert document.text == ""


def test_an_impossible_date_header_is_ignored():
    assert parse_document("Published: 2023-02-30\n\nText.").published is None


def test_english_text_is_recognised_and_other_text_is_left_unknown():
    english = "Germany will send 14 tanks to Ukraine, the government said on Wednesday, and it is the first of its kind in the war."
    german = "Deutschland wird der Ukraine vierzehn Panzer liefern, sagte die Regierung am Mittwoch in Berlin vor der Presse."
    assert parse_document(english * 2).language == "en"
    assert parse_document(german * 2).language is None


def test_a_web_page_saved_under_a_text_name_is_read_as_html():
    document = parse_document(ARTICLE_HTML.encode(), filename="saved-page.txt")
    assert document.is_html
    assert "<p>" not in document.text
    assert "Copyright" not in document.text


def test_a_text_file_that_only_mentions_a_tag_stays_plain_text():
    raw = "Title: Markup\n\nThe page used a <p> tag and an <html> element, the report said."
    assert not parse_document(raw, filename="note.txt").is_html
