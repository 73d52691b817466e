"""The authentication backend: Django's own, reading a signed-in user's roles with the user.

Every staff page checks a role (helpdesk.roles), and the agents' pages show the agent's
availability; on each request Django read the user, then their groups, then their profile, three
queries for one row each. Here the user's query answers all three: whether they are in Agents or
in Managers (an EXISTS each), and their profile joined. Logging in, passwords and permissions are
Django's ModelBackend unchanged.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from helpdesk.roles import ROLE_FLAGS


def in_group(name: str) -> Exists:
    return Exists(Group.objects.filter(user=OuterRef("pk"), name=name))


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        flags = {flag: in_group(name) for name, flag in ROLE_FLAGS.items()}
        try:
            user = User._default_manager.select_related("staff_profile").annotate(**flags).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
