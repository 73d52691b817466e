"""A subscription's confirmation link is stored as the SHA-256 hash of its token, in place, so
confirmation links already sent keep working."""

import hashlib

from django.db import migrations, models

import helpdesk.references


def hash_existing_tokens(apps, schema_editor):
    Subscription = apps.get_model("crisis", "Subscription")
    for pk, token in Subscription.objects.values_list("pk", "token_hash").iterator(2000):
        token_hash = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
        Subscription.objects.filter(pk=pk).update(token_hash=token_hash)


class Migration(migrations.Migration):
    dependencies = [("crisis", "0005_second_approval")]

    operations = [
        migrations.RenameField(model_name="subscription", old_name="token", new_name="token_hash"),
        # Going back leaves the hashes (unique, unguessable) as tokens: no older link works then.
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="subscription",
            name="token_hash",
            field=models.CharField(
                default=helpdesk.references.new_token_hash, editable=False, max_length=64, unique=True
            ),
        ),
    ]
