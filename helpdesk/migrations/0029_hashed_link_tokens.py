"""Status and chat links are stored as the SHA-256 hashes of their tokens.

Existing links keep working: each ticket's status token becomes its first StatusLink (hashed),
and each chat's token is hashed in place. Going back draws new tokens (a hash cannot be turned
back into its token), so no link sent before then works afterwards.
"""

import hashlib
import secrets

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

BATCH = 2000


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def hash_existing_tokens(apps, schema_editor):
    Ticket = apps.get_model("helpdesk", "Ticket")
    StatusLink = apps.get_model("helpdesk", "StatusLink")
    Chat = apps.get_model("helpdesk", "Chat")
    links = []
    for pk, token, created_at in Ticket.objects.values_list("pk", "status_token", "created_at").iterator(BATCH):
        links.append(StatusLink(ticket_id=pk, token_hash=sha256(token), created_at=created_at))
        if len(links) >= BATCH:
            StatusLink.objects.bulk_create(links)
            links = []
    StatusLink.objects.bulk_create(links)
    for chat in Chat.objects.only("pk", "token_hash").iterator(BATCH):
        Chat.objects.filter(pk=chat.pk).update(token_hash=sha256(chat.token_hash))


def draw_new_tokens(apps, schema_editor):
    Ticket = apps.get_model("helpdesk", "Ticket")
    for pk in Ticket.objects.values_list("pk", flat=True).iterator(BATCH):
        Ticket.objects.filter(pk=pk).update(status_token=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0028_sign_in_lockout_lifts")]

    operations = [
        migrations.CreateModel(
            name="StatusLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="status_links",
                        to="helpdesk.ticket",
                    ),
                ),
            ],
        ),
        migrations.RenameField(model_name="chat", old_name="token", new_name="token_hash"),
        # Nullable on the way out, so that going back can add the column before filling it.
        migrations.AlterField(
            model_name="ticket",
            name="status_token",
            field=models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(hash_existing_tokens, draw_new_tokens, elidable=False),
        migrations.AlterField(
            model_name="chat",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.RemoveField(model_name="ticket", name="status_token"),
    ]
