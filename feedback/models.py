# Surveys, complaint themes, escalations and lessons live here (see the feedback issue).
