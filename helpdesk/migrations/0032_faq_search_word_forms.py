"""The FAQ's search columns gain the dictionary forms of their words ("fakturę" adds "faktura"):
recomputed for the entries that exist, as FaqEntry.save() computes them for new ones."""

from django.db import migrations


def recompute_search_text(apps, schema_editor):
    from helpdesk.models.faq import search_text

    FaqEntry = apps.get_model("helpdesk", "FaqEntry")
    for entry in FaqEntry.objects.iterator():
        questions, answers = ({code: getattr(entry, f"{field}_{code}") for code in ("en", "hu", "pl")} for field in ("question", "answer"))
        FaqEntry.objects.filter(pk=entry.pk).update(
            search_questions=search_text(questions), search_answers=search_text(answers)
        )


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0031_channel_listing_place")]

    operations = [migrations.RunPython(recompute_search_text, migrations.RunPython.noop, elidable=True)]
