"""The figures `make eval-themes` prints for the three-language set mean what they say."""

from devtools import theme_eval

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
