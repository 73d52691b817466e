"""The crisis area at /crisis/ (namespace "crisis")."""

from django.urls import path

from crisis.views import incidents, linking, public, updates

app_name = "crisis"

urlpatterns = [
    # Incidents, public updates, linking (staff)
    path("", incidents.incident_list, name="incident-list"),
    path("incidents/new/", incidents.incident_declare, name="incident-declare"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/state/", incidents.incident_move, name="incident-move"),
    path("incidents/<int:pk>/subscribers/", incidents.subscriber_list, name="subscribers"),
    path("incidents/<int:pk>/suggestions/", linking.suggestions, name="suggestions"),
    path("incidents/<int:pk>/link/", linking.link_bulk, name="link-bulk"),
    path("incidents/<int:pk>/link-ticket/", linking.link_ticket, name="link-ticket"),
    path("incidents/<int:pk>/updates/new/", updates.update_draft, name="update-draft"),
    path("incidents/<int:pk>/resolve/", updates.update_draft, {"final": True}, name="update-draft-final"),
    path("updates/<int:pk>/", updates.update_detail, name="update-detail"),
    path("updates/<int:pk>/approve/", updates.update_approve, name="update-approve"),
    path("updates/<int:pk>/reject/", updates.update_reject, name="update-reject"),
    path("updates/<int:pk>/progress/", updates.update_progress, name="update-progress"),
    # Customers: "I am affected", email updates (double opt-in), one-click unsubscribe
    path("report/<int:pk>/", public.report, name="report"),
    path("subscribe/<int:pk>/", public.subscribe, name="subscribe"),
    path("subscriptions/<str:token>/", public.subscription_confirm, name="subscription-confirm"),
    path("unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
]
