# An SLA breach alert stored its reason as text in the queue manager's language, and every
# reader saw it in that language. It now stores codes (the missed target and its due time) and
# each reader reads it in their own; the alerts already written get the codes of their ticket's
# "SLA breached" timeline entry, recorded in the same transaction.

from django.db import migrations, models


def reasons_as_codes(apps, schema_editor):
    AttentionRequest = apps.get_model("helpdesk", "AttentionRequest")
    TicketEntry = apps.get_model("helpdesk", "TicketEntry")
    alerts = AttentionRequest.objects.filter(kind="sla_breach", data={}).select_related("ticket__queue__calendar")
    for alert in alerts.iterator(chunk_size=500):
        breach = (
            TicketEntry.objects.filter(ticket_id=alert.ticket_id, event="sla_breached")
            .order_by("created_at", "pk")
            .values_list("data", flat=True)
            .first()
        )
        if not breach or not breach.get("due_at"):
            continue  # nothing to rebuild it from: the stored text stays
        data = {
            "target": breach.get("target", "resolution"),
            "due_at": breach["due_at"],
            "time_zone": alert.ticket.queue.calendar.time_zone,
        }
        AttentionRequest.objects.filter(pk=alert.pk).update(data=data, reason="")


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0034_live_channel_first"),
    ]

    operations = [
        migrations.AddField(
            model_name="attentionrequest",
            name="data",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AlterField(
            model_name="attentionrequest",
            name="reason",
            field=models.TextField(blank=True, verbose_name="reason"),
        ),
        migrations.RunPython(reasons_as_codes, migrations.RunPython.noop),
    ]
