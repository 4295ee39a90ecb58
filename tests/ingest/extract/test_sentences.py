from ingest.extract.sentences import split_sentences


def test_sentences_keep_offsets_into_the_original_text():
    text = "Title: X\n\nGermany sent tanks. Poland sent jets!  Did Spain send missiles?"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Title: X",
        "Germany sent tanks.",
        "Poland sent jets!",
        "Did Spain send missiles?",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Pentagon spokesman Lt. Col. Marty Miners said the U.S. Army will buy shells. Seoul agreed."
    sentences = split_sentences(text)
    assert len(sentences) == 2
    assert sentences[0].text.endswith("will buy shells.")


def test_decimal_figures_are_not_sentence_ends():
    sentences = split_sentences("The deal is worth $3.37 billion. It was signed in Seoul.")
    assert [s.text for s in sentences] == ["The deal is worth $3.37 billion.", "It was signed in Seoul."]


def test_paragraph_breaks_end_a_sentence_without_punctuation():
    sentences = split_sentences("A headline without a stop\nThe body starts here.")
    assert [s.text for s in sentences] == ["A headline without a stop", "The body starts here."]


def test_a_run_without_punctuation_is_cut_into_bounded_pieces():
    text = "word " * 2000
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= 2000 for s in sentences)
