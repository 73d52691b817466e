from django.db import migrations
from django.utils import timezone


def schedule_mailbox_poll(apps, schema_editor):
    # Runs every minute; it does nothing until IMAP_URL is set, so no deployment needs a
    # migration or a restart of the schedule to start reading mail.
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name="poll mailbox",
        defaults={
            "func": "helpdesk.tasks.poll_mailbox",
            "schedule_type": "I",
            "minutes": 1,
            "repeats": -1,
            "next_run": timezone.now(),
        },
    )


def unschedule_mailbox_poll(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="poll mailbox").delete()


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0006_outbox_retry_event")]

    operations = [migrations.RunPython(schedule_mailbox_poll, unschedule_mailbox_poll)]
