"""Walk-in service at the branches: `visits` (checking in, calling the next visitor to a desk),
`lobby` (the lobby screen) and `admin` (branches, their lines and desks). The pages are in
helpdesk.views.walk_in, the model in helpdesk.models.walk_in.
"""
