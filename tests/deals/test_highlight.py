from deals.highlight import Span, highlight, in_context, locate

HOSTILE = 'Intro <script>alert("x")</script>. Germany sent 5 <b>tanks</b> to Ukraine. Outro & more.'


def test_marked_sentence_is_escaped_and_surrounding_markup_stays_text():
    sentence = "Germany sent 5 <b>tanks</b> to Ukraine."
    start = HOSTILE.index(sentence)
    html = highlight(HOSTILE, [Span(start, start + len(sentence), deal_id=1, evidence_id=7)])
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert (
        '<mark class="evidence" id="evidence-7">Germany sent 5 &lt;b&gt;tanks&lt;/b&gt; to Ukraine.</mark>'
        in html
    )
    assert html.endswith("Outro &amp; more.")


def test_overlapping_spans_are_clipped_so_marks_never_nest():
    text = "abcdefghij"
    html = highlight(text, [Span(0, 6, 1, 1), Span(4, 8, 2, 2)])
    assert (
        html
        == '<mark class="evidence" id="evidence-1">abcdef</mark><mark class="evidence" id="evidence-2">gh</mark>ij'
    )


def test_stale_offsets_fall_back_to_finding_the_sentence():
    assert locate("One. Two three.", 0, 3, "Two three.") == (5, 15)
    assert locate("One. Two three.", 0, 4, "One.") == (0, 4)
    assert locate("One. Two three.", 0, 4, "Absent sentence.") is None


def test_context_is_trimmed_with_ellipses_around_the_mark():
    text = "x" * 1000 + "Needle sentence." + "y" * 1000
    start = text.index("Needle")
    html = in_context(text, Span(start, start + 16, 1, 3), context=20)
    assert html.startswith("… " + "x" * 20 + "<mark")
    assert html.endswith("y" * 20 + " …")
