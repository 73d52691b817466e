from django.db import migrations

from helpdesk.schedules import every_minute


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0006_outbox_retry_event")]

    # Every minute; the task does nothing until IMAP_URL is set, so reading mail needs no
    # migration or schedule change on any deployment.
    operations = [every_minute("poll mailbox", "helpdesk.tasks.poll_mailbox")]
