# A customer waiting on a live channel (a chat page open) is served before written requests:
# their tickets' place in line moves ahead of every other by LIVE_WEIGHT.

from django.db import migrations, models

LIVE_WEIGHT = 10**17  # helpdesk.models.queue_place.LIVE_WEIGHT when this was written


def mark_live_chats(apps, schema_editor):
    Ticket = apps.get_model("helpdesk", "Ticket")
    Ticket.objects.filter(channel="chat", chat__ended_at__isnull=True, on_live_channel=False).update(
        on_live_channel=True, queue_key=models.F("queue_key") - LIVE_WEIGHT
    )


def unmark_live_chats(apps, schema_editor):
    Ticket = apps.get_model("helpdesk", "Ticket")
    Ticket.objects.filter(on_live_channel=True).update(
        on_live_channel=False, queue_key=models.F("queue_key") + LIVE_WEIGHT
    )


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0033_canned_responses_without_greeting"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="on_live_channel",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="customer waiting on a live channel"
            ),
        ),
        migrations.RunPython(mark_live_chats, unmark_live_chats),
    ]
