# A ticket's request for a manager's attention was called TicketEscalation; its rows stay.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('helpdesk', '0029_hashed_link_tokens'),
    ]

    operations = [
        migrations.RenameModel(old_name='TicketEscalation', new_name='AttentionRequest'),
        migrations.AlterField(
            model_name='attentionrequest',
            name='ticket',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attention_requests', to='helpdesk.ticket'),
        ),
    ]
